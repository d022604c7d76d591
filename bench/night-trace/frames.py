"""Sums the time of a dotnet-trace Speedscope file by frame (all threads; the samples are thread time, so a thread
waiting on the disk or for a core counts). Written by hand: the trace tools print no such summary on Linux.

    frames.py FILE inclusive PATTERN          frames matching PATTERN, with the time of every stack holding them
    frames.py FILE under PATTERN DEPTH        the time below the first frame matching PATTERN, by the DEPTH frames under it
    frames.py FILE callers PATTERN DEPTH      the time of frames matching PATTERN, by the DEPTH frames above them
"""
import collections
import json
import sys


def stacks(path):
    """Yields (frame names of the stack, seconds) for each interval of each thread."""
    data = json.load(open(path))
    names = [f['name'] for f in data['shared']['frames']]
    for profile in data['profiles']:
        stack, last = [], None
        for event in profile['events']:
            if last is not None and stack:
                yield [names[f] for f in stack], (event['at'] - last) / 1000
            last = event['at']
            if event['type'] == 'O':
                stack.append(event['frame'])
            elif stack:
                stack.pop()


def short(name):
    return name.split('(')[0].split('!')[-1][-70:]


def main(path, mode, pattern, depth=1):
    depth = int(depth)
    totals = collections.Counter()
    for frames, seconds in stacks(path):
        hits = [i for i, name in enumerate(frames) if pattern in name]
        if not hits:
            continue
        if mode == 'inclusive':
            for name in {frames[i] for i in hits}:
                totals[short(name)] += seconds
        elif mode == 'under':
            totals[' > '.join(short(n) for n in frames[hits[0] + 1:hits[0] + 1 + depth]) or '(self)'] += seconds
        else:
            totals[' < '.join(short(n) for n in reversed(frames[max(0, hits[0] - depth):hits[0]]))] += seconds
    for key, seconds in totals.most_common(25):
        print(f'{seconds:8.2f} {key}')


if __name__ == '__main__':
    main(*sys.argv[1:])
