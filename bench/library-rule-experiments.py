#!/usr/bin/env python3
"""Candidate changes to the library rule, tried on the benchmark's cached encodings before any is built in C#.

Reads artifacts/cache/<pack>-pins-library.faces and <pack>-lfw-deepfunneled.faces (written by
bench/LibraryBenchmark.cs on its first run) and scores the libraries of docs/benchmarks.md ("Clustering libraries of
every shape") with SciPy's average linkage. Every face is clustered; the largest face of each photo is scored against
its folder, as Measure-FaceCluster does. The families are drawn with NumPy (seed 2026), not the benchmark's .NET
Random, so they are other people than its family1..family5. Not emulated: the same-photo rule.

    python3 bench/library-rule-experiments.py oracle --transform centre      # best fixed threshold
    python3 bench/library-rule-experiments.py oracle --transform expand --gate 0.50 --thresholds 0.54:0.72
    python3 bench/library-rule-experiments.py attach --cap 0.80 --margin 0.02
    python3 bench/library-rule-experiments.py rule --table shipped            # the rule as it ships
    python3 bench/library-rule-experiments.py rule --table lfw-weighted
    python3 bench/library-rule-experiments.py rule --table calibrated --transform expand --gate 0.50
    python3 bench/library-rule-experiments.py rule --marginal 0.8             # stop where the bin's share is too high
    python3 bench/library-rule-experiments.py rule --marginal 0.95 --adjust 0.80  # the table moved to each library
    python3 bench/library-rule-experiments.py attach --vote 5:4 --cap 0.75    # lone faces join by their neighbours
    python3 bench/library-rule-experiments.py oracle --transform reciprocal --k 3
    python3 bench/library-rule-experiments.py oracle --linkage weighted
    python3 bench/library-rule-experiments.py oracle --transform wccn --shrink 1  # whitened by LFW's people
    python3 bench/library-rule-experiments.py fuse                            # both packs' distances, largest faces
    python3 bench/library-rule-experiments.py tails                           # different people's distances per library
    python3 bench/library-rule-experiments.py anatomy --libraries pins-many   # where the best threshold loses

Needs numpy and scipy (Debian: python3-sklearn brings both). Written by hand: the rule's emulation (no library does
it); SciPy does the clustering.
"""
import argparse
import json
import os
import struct
from collections import Counter

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from scipy.stats import norm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAIR_THRESHOLD = 0.54          # the faceplugin pack's linkageThreshold
FALSE_PAIR_SHARE = 0.2         # its libraryThreshold.falsePairShare
CANDIDATES = np.round(np.arange(0.30, 0.73, 0.01), 2)


def read_string(f):
    n = shift = 0
    while True:
        b = f.read(1)[0]
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return f.read(n).decode('utf-8')


def load(path):
    """The benchmark's cache: count, then per face path, index, flag, model, confidence, size, box, vector."""
    paths, boxes, vectors = [], [], []
    with open(path, 'rb') as f:
        (count,) = struct.unpack('<i', f.read(4))
        for _ in range(count):
            p = read_string(f)
            f.read(5)
            read_string(f)
            f.read(12)
            box = struct.unpack('<4f', f.read(16))
            (n,) = struct.unpack('<i', f.read(4))
            paths.append(p)
            boxes.append(box)
            vectors.append(np.frombuffer(f.read(4 * n), dtype='<f4'))
    v = np.stack(vectors).astype(np.float64)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    paths = np.array(paths)
    area = np.array([b[2] * b[3] for b in boxes])
    scored = np.zeros(len(paths), bool)
    seen = set()
    for i in np.lexsort((-area, paths)):
        if paths[i] not in seen:
            seen.add(paths[i])
            scored[i] = True
    person = np.array([os.path.basename(os.path.dirname(p)) for p in paths])
    return dict(V=v, paths=paths, person=person, scored=scored)


def subset(d, mask):
    return {k: v[mask] for k, v in d.items()}


def concat(a, b):
    return {k: np.concatenate([a[k], b[k]]) for k in a}


def libraries(pins, lfw, names):
    pins_count = Counter(pins['person'][pins['scored']])
    lfw_count = Counter(lfw['person'][lfw['scored']])
    pins_names = {p.lower() for p in pins_count}
    strangers = [p for p, c in lfw_count.items() if c == 1 and p.lower() not in pins_names]
    top20 = [p for p, _ in sorted(lfw_count.items(), key=lambda x: (-x[1], x[0]))[:20]]
    out = {
        'pins-few': lambda: subset(pins, np.isin(pins['person'], [p for p, c in pins_count.items() if c > 20])),
        'pins-many': lambda: subset(pins, np.isin(pins['person'], [p for p, c in pins_count.items() if c <= 20])),
        'pins-all': lambda: pins,
        'pins+strangers': lambda: concat(pins, subset(lfw, np.isin(lfw['person'], strangers))),
        'lfw-all': lambda: lfw,
        'lfw-largest': lambda: subset(lfw, np.isin(lfw['person'], top20 + [p for p, c in lfw_count.items() if c == 1])),
    }
    rng = np.random.default_rng(2026)
    people = sorted(pins_count)
    for k in range(1, 6):
        family = rng.choice(people, rng.integers(5, 16), replace=False)
        out[f'family{k}'] = (lambda f=family: subset(pins, np.isin(pins['person'], f)))
    return {n: out[n]() for n in names}


def scores(labels, truth):
    """Pairwise F1, BCubed F1, pairwise precision and recall; label -1 is a singleton each."""
    lab = labels.copy()
    nxt = lab.max() + 1
    for i in np.where(lab < 0)[0]:
        lab[i] = nxt
        nxt += 1
    pairs = lambda c: sum(v * (v - 1) // 2 for v in c.values())
    joint, clusters, people = Counter(zip(lab, truth)), Counter(lab), Counter(truth)
    tp, pp, tt = pairs(joint), pairs(clusters), pairs(people)
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    bp = np.mean([joint[(l, t)] / clusters[l] for l, t in zip(lab, truth)])
    br = np.mean([joint[(l, t)] / people[t] for l, t in zip(lab, truth)])
    return 2 * p * r / (p + r), 2 * bp * br / (bp + br), p, r


def transform(d, how, gate, k=1, whitening=None):
    v = d['V']
    if how == 'centre':
        w = v - v.mean(0)
    elif how == 'wccn':
        mean, t = whitening
        w = (v - mean) @ t
    elif how == 'expand':
        # Query expansion: add each face's nearest face of another photo, when it lies within the gate.
        w = v.copy()
        for s in range(0, len(v), 2000):
            g = v[s:s + 2000] @ v.T
            g[d['paths'][s:s + 2000, None] == d['paths'][None, :]] = -2  # itself and its photo's other faces
            j = g.argmax(1)
            near = 1 - g[np.arange(len(j)), j] < gate
            w[s:s + 2000][near] += v[j[near]]
    elif how == 'reciprocal':
        # Each face plus those of its k nearest faces (of other photos) that have it among their own k nearest.
        near = nearest(d, k)
        w = v.copy()
        for i in range(len(v)):
            for j in near[i]:
                if i in near[j]:
                    w[i] += v[j]
    else:
        return v
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def within_class_whitening(d, shrink):
    """WCCN fitted on a labelled set's largest faces of people seen twice or more: the set's mean vector, and the
    inverse square root of the within-person covariance (scaled to mean eigenvalue 1) plus shrink times the identity."""
    count = Counter(d['person'][d['scored']])
    keep = d['scored'] & np.array([count[p] >= 2 for p in d['person']])
    v, person = d['V'][keep], d['person'][keep]
    within = np.zeros((v.shape[1], v.shape[1]))
    for p in set(person):
        x = v[person == p] - v[person == p].mean(0)
        within += x.T @ x
    within *= v.shape[1] / np.trace(within)
    e, u = np.linalg.eigh(within)
    return v.mean(0), u @ np.diag((e + shrink) ** -0.5) @ u.T


def nearest(d, k):
    """Each face's k nearest faces of other photos, nearest first."""
    v = d['V']
    out = np.zeros((len(v), k), int)
    for s in range(0, len(v), 2000):
        g = v[s:s + 2000] @ v.T
        g[d['paths'][s:s + 2000, None] == d['paths'][None, :]] = -2
        j = np.argpartition(-g, k, axis=1)[:, :k]
        out[s:s + 2000] = np.take_along_axis(j, np.argsort(-np.take_along_axis(g, j, 1), 1), 1)
    return out


def clusters_at(z, t):
    lab = fcluster(z, t, 'distance')
    size = Counter(lab)
    return np.array([l if size[l] > 1 else -1 for l in lab])


def group_phase(v, z, group_threshold):
    """Average linkage continued from the pair threshold up to the group threshold; two faces seen once never merge
    beyond the pair threshold (AverageLinkageOptions.GroupThreshold)."""
    lab = fcluster(z, PAIR_THRESHOLD, 'distance')
    members = [list(np.where(lab == l)[0]) for l in sorted(set(lab))]
    sums = np.stack([v[m].sum(0) for m in members])
    n = np.array([len(m) for m in members], float)
    k = len(members)
    means = sums / n[:, None]
    dist = (1 - means @ means.T).astype(np.float32)  # mean cosine distance of two groups of unit vectors
    np.fill_diagonal(dist, np.inf)
    single = n == 1
    dist[np.ix_(single, single)] = np.inf
    dist[dist > group_threshold] = np.inf
    alive = np.ones(k, bool)
    while True:
        i, j = divmod(int(np.argmin(dist)), k)
        if not np.isfinite(dist[i, j]):
            break
        sums[i] += sums[j]
        n[i] += n[j]
        members[i] += members[j]
        alive[j] = False
        dist[j, :] = dist[:, j] = np.inf
        row = (1 - (sums / n[:, None]) @ (sums[i] / n[i])).astype(np.float32)
        row[~alive] = np.inf
        row[i] = np.inf
        row[row > group_threshold] = np.inf
        dist[i, :] = dist[:, i] = row
    out = np.full(len(v), -1)
    for g in range(k):
        if alive[g] and len(members[g]) > 1:
            out[members[g]] = g
    return out


def different_people_share(sets, weighting):
    """Share of different people's pairs (largest faces) within each candidate distance, as --calibrate pools them:
    every k-th face, at most 6,000 of a set ('calibrated'), or every face ('lfw-weighted')."""
    within = np.zeros(len(CANDIDATES))
    total = 0
    for d in sets:
        v, person = d['V'][d['scored']], d['person'][d['scored']]
        order = np.argsort(d['paths'][d['scored']], kind='stable')
        stride = (len(v) + 5999) // 6000 if weighting == 'calibrated' else 1
        v, person = v[order][::stride], person[order][::stride]
        for s in range(0, len(v), 1500):
            dist = 1 - v[s:s + 1500] @ v.T
            rows = np.arange(s, min(s + 1500, len(v)))
            mask = (person[rows][:, None] != person[None, :]) & (rows[:, None] < np.arange(len(v))[None, :])
            dd = np.sort(dist[mask])
            total += dd.size
            within += np.searchsorted(dd, CANDIDATES, side='right')
    return within / total


def ceiling(pins):
    """The 0.1% quantile of the mean distance between two pins-library people, down to the rule's step."""
    v, person = pins['V'][pins['scored']], pins['person'][pins['scored']]
    means = np.stack([v[person == p].mean(0) for p in sorted(set(person))])
    d = 1 - means @ means.T
    return np.floor(np.quantile(d[np.triu_indices(len(means), 1)], 0.001) * 100) / 100


def sample_distances(d, v):
    """LibraryThreshold's sample: every k-th face (at most 4,000) in path order; its pairs' distances, sorted."""
    order = np.argsort(d['paths'], kind='stable')
    sample = v[order][::(len(v) + 3999) // 4000]
    return np.sort((1 - sample @ sample.T)[np.triu_indices(len(sample), 1)])


def choose(d, v, share, top):
    """LibraryThreshold.Choose: the largest candidate whose expected different-people pairs are at most the false-pair
    share of the pairs within it, among every k-th face (at most 4,000) in path order."""
    dist = sample_distances(d, v)
    chosen = PAIR_THRESHOLD
    for k, t in enumerate(CANDIDATES):
        if PAIR_THRESHOLD <= t <= top and dist.size * share[k] <= FALSE_PAIR_SHARE * np.searchsorted(dist, t, side='right'):
            chosen = t
    return chosen


def choose_marginal(d, v, share, top, mu, width):
    """Marginal variant of choose: from the pair threshold up, stop at the first candidate whose last `width` steps hold
    more expected different-people pairs than mu times the sample pairs found there."""
    dist = sample_distances(d, v)
    within = np.searchsorted(dist, CANDIDATES, side='right')
    chosen = PAIR_THRESHOLD
    for k, t in enumerate(CANDIDATES):
        if t <= PAIR_THRESHOLD:
            continue
        if t > top or dist.size * (share[k] - share[k - width]) > mu * (within[k] - within[k - width]):
            break
        chosen = t
    return chosen


def different_people_pool(pins, lfw):
    """Sorted distances of different people's pairs (largest faces): every 2nd of pins-library's, every 6th of LFW's."""
    out = []
    for d, stride in ((pins, 2), (lfw, 6)):
        order = np.argsort(d['paths'][d['scored']], kind='stable')[::stride]
        v, person = d['V'][d['scored']][order], d['person'][d['scored']][order]
        upper = np.triu_indices(len(v), 1)
        out.append((1 - v @ v.T)[upper][(person[:, None] != person[None, :])[upper]])
    return np.sort(np.concatenate(out))


def location_scale(dist, floor=0.60, low=0.1):
    """Median and lower spread of a library's different-people distances, from all its sample pairs (sorted): the pairs
    within the floor are taken as one person's and left out; spread = (median - 10% quantile) / 1.2816."""
    same = np.searchsorted(dist, floor, side='right') / dist.size
    q = lambda p: dist[min(int((same + p * (1 - same)) * dist.size), dist.size - 1)]
    return q(0.5), (q(0.5) - q(low)) / norm.ppf(1 - low)


def choose_adjusted(d, v, pool, top, mu, width):
    """choose_marginal with the table moved to the library: the share within t is the pool's share within the distance
    at the same standard score (location_scale of the pool's and of the library's distances)."""
    dist = sample_distances(d, v)
    (centre, spread), (pool_centre, pool_spread) = location_scale(dist), location_scale(pool, floor=0)
    share = lambda t: np.searchsorted(pool, pool_centre + pool_spread * (t - centre) / spread) / pool.size
    within = lambda t: np.searchsorted(dist, t, side='right')
    chosen = PAIR_THRESHOLD
    for t in np.round(np.arange(PAIR_THRESHOLD + 0.01, top + 1e-9, 0.01), 2):
        w = width / 100
        if dist.size * (share(t) - share(t - w)) > mu * (within(t) - within(t - w)):
            break
        chosen = t
    return chosen


def shipped_rule(pack):
    rule = next(p for p in json.load(open(os.path.join(ROOT, 'models', 'packs.json')))['packs'] if p['name'] == pack)['libraryThreshold']
    table = rule['differentPeople']['shareAtOrBelow']
    return np.array([table[min(k, len(table) - 1)] for k in range(len(CANDIDATES))]), rule['maxThreshold']


def tails(name, d, share, pool):
    """With the folders' labels: the share of different people among a library's sample pairs in each 0.02 bin (true)
    against the shipped table's estimate, and its own different-people share within 0.60, 0.66 and 0.72 against the
    table's and against the pool moved to the library (as choose_adjusted does)."""
    order = np.argsort(d['paths'], kind='stable')[::(len(d['V']) + 3999) // 4000]
    v, person = d['V'][order], d['person'][order]
    upper = np.triu_indices(len(v), 1)
    dist, diff = (1 - v @ v.T)[upper], (person[:, None] != person[None, :])[upper]
    bins = []
    for k in range(26, 43, 2):
        inside = (dist > CANDIDATES[k - 2]) & (dist <= CANDIDATES[k])
        found = max(inside.sum(), 1)
        bins.append(f'{CANDIDATES[k]:.2f}:{(inside & diff).sum() / found:.2f}/{dist.size * (share[k] - share[k - 2]) / found:.2f}')
    own = [(dist[diff] <= t).mean() for t in (0.60, 0.66, 0.72)]
    (centre, spread), (pool_centre, pool_spread) = location_scale(np.sort(dist)), location_scale(pool, floor=0)
    moved = [np.searchsorted(pool, pool_centre + pool_spread * (t - centre) / spread) / pool.size for t in (0.60, 0.66, 0.72)]
    print(f'{name:15} bin true/estimated ' + ' '.join(bins) +
          f'   own share within 0.60/0.66/0.72 {own[0]:.2g} {own[1]:.2g} {own[2]:.2g} (table {share[30]:.2g} {share[36]:.2g} {share[42]:.2g};'
          f' moved {moved[0]:.2g} {moved[1]:.2g} {moved[2]:.2g})', flush=True)


def anatomy(name, d, z, grid):
    """With the folders' labels, at the library's best fixed threshold: its hard faces, its split people and lone faces,
    and the pairwise F1 if the labels attached the lone faces, or merged the split pieces, to each person's largest
    cluster."""
    truth, scored = d['person'][d['scored']], d['scored']
    f = [scores(clusters_at(z, t)[scored], truth)[0] for t in grid]
    t = grid[int(np.argmax(f))]
    v = d['V'][scored]
    dist = 1 - v @ v.T
    np.fill_diagonal(dist, np.nan)
    same = truth[:, None] == truth[None, :]
    own = np.nanmean(np.where(same, dist, np.nan), axis=1)
    other_nearest = np.nanmin(np.where(same, np.inf, dist), axis=1) < np.nanmin(np.where(same, dist, np.inf), axis=1)
    lab = clusters_at(z, t)[scored]
    largest, split = {}, 0
    for person in set(truth):
        held = Counter(lab[(truth == person) & (lab >= 0)])
        largest[person] = held.most_common(1)[0][0] if held else -1
        split += len(held) > 1
    attached = np.array([largest[p] if l < 0 and largest[p] >= 0 else l for l, p in zip(lab, truth)])
    majority = {l: Counter(truth[lab == l]).most_common(1)[0][0] for l in set(lab) if l >= 0}
    merged = np.array([largest[majority[l]] if l >= 0 else -1 for l in lab])
    print(f'{name:15} best {t:.2f}: pairwise {max(f):.3f}; {int((own > 0.80).sum())} faces over 0.80 from their own person on '
          f'average, {int(other_nearest.sum())} nearest to another person; {split} people split, {int((lab < 0).sum())} faces '
          f'alone; lone faces attached by the labels {scores(attached, truth)[0]:.3f}, split pieces merged {scores(merged, truth)[0]:.3f}', flush=True)


def fuse(pack_a, pack_b, pins, names):
    """Average linkage on the largest faces only, on each pack's distances and on their mean, each scaled by the pack's
    pair threshold (the dlib pack compares by Euclidean distance)."""
    other = load(os.path.join(ROOT, 'artifacts', 'cache', f'{pack_b}-pins-library.faces'))
    a = subset(pins, pins['scored'])
    b = subset(other, other['scored'])
    where = {p: i for i, p in enumerate(b['paths'])}
    keep = np.array([p in where for p in a['paths']])
    a = subset(a, keep)
    vb = b['V'][[where[p] for p in a['paths']]]
    count = Counter(a['person'])
    shapes = {'pins-many': np.array([count[p] <= 20 for p in a['person']]), 'pins-all': np.ones(len(a['paths']), bool)}
    for name in [n for n in names if n in shapes]:
        m = shapes[name]
        da, db = pdist(a['V'][m], 'cosine'), np.sqrt(2 * pdist(vb[m], 'cosine'))
        for label, dist, grid in [(pack_a, da, np.arange(0.55, 0.85, 0.01)), (pack_b, db, np.arange(0.30, 0.70, 0.01)),
                                  ('mean', (da / 0.54 + db / 0.51) / 2, np.arange(0.95, 1.50, 0.01))]:
            z = linkage(dist, 'average')
            f = [scores(clusters_at(z, t), a['person'][m]) for t in grid]
            best = int(np.argmax([x[0] for x in f]))
            print(f'{name:15} {label:10} best {grid[best]:.2f}: pairwise {f[best][0]:.3f} (P {f[best][2]:.3f} R {f[best][3]:.3f}) BCubed {f[best][1]:.3f}', flush=True)


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument('experiment', choices=['oracle', 'attach', 'rule', 'tails', 'fuse', 'anatomy'])
    a.add_argument('--pack', default='faceplugin')
    a.add_argument('--libraries', default='pins-few,pins-many,pins-all,pins+strangers,family1,family2,family3,family4,family5,lfw-largest,lfw-all')
    a.add_argument('--transform', choices=['none', 'centre', 'expand', 'reciprocal', 'wccn'], default='none')
    a.add_argument('--shrink', type=float, default=1.0, help='wccn: added to the within-person covariance\'s eigenvalues')
    a.add_argument('--fit-on', choices=['lfw', 'other-half'], default='lfw',
                   help='wccn: fitted on LFW, or on half of pins-library\'s people; the libraries then hold the other half, with or without wccn')
    a.add_argument('--k', type=int, default=1, help='reciprocal: how many nearest faces are looked at')
    a.add_argument('--linkage', choices=['average', 'weighted', 'complete'], default='average', help='oracle: the method')
    a.add_argument('--marginal', type=float, help='rule: the marginal variant with this largest expected share')
    a.add_argument('--width', type=int, default=2, help='rule --marginal: the bin, in steps of 0.01')
    a.add_argument('--adjust', type=float, help='rule --marginal: the table moved to each library, candidates up to this')
    a.add_argument('--vote', help='attach: K:M, a lone face joins the cluster of its nearest face when M of its K nearest are in it')
    a.add_argument('--gate', type=float, default=2.0, help='expand: the largest distance of a face added (2: any)')
    a.add_argument('--thresholds', default='0.40:0.90', help='oracle: the range swept in steps of 0.01')
    a.add_argument('--table', choices=['shipped', 'calibrated', 'lfw-weighted'], default='shipped')
    a.add_argument('--cap', type=float, default=0.80, help='attach: the largest mean distance to the nearest cluster')
    a.add_argument('--margin', type=float, default=0.02, help='attach: how much nearer than the second nearest')
    o = a.parse_args()
    cache = os.path.join(ROOT, 'artifacts', 'cache')
    pins = load(os.path.join(cache, f'{o.pack}-pins-library.faces'))
    if o.experiment == 'fuse':
        fuse(o.pack, 'dlib' if o.pack == 'faceplugin' else 'faceplugin', pins, o.libraries.split(','))
        return
    lfw = load(os.path.join(cache, f'{o.pack}-lfw-deepfunneled.faces'))
    fit = lfw
    if o.fit_on == 'other-half':
        people = sorted(set(pins['person']))
        fit, pins = (subset(pins, np.isin(pins['person'], people[h::2])) for h in (1, 0))
    whitening = within_class_whitening(fit, o.shrink) if o.transform == 'wccn' else None
    libs = libraries(pins, lfw, o.libraries.split(','))

    share, top = shipped_rule(o.pack)
    if o.experiment == 'tails':
        pool = different_people_pool(pins, lfw)
        for name, d in libs.items():
            tails(name, d, share, pool)
        return
    if o.experiment == 'rule' and o.table != 'shipped':
        expanded = [dict(s, V=transform(s, o.transform, o.gate, o.k, whitening)) for s in (pins, lfw)]
        share, top = different_people_share(expanded, o.table), ceiling(expanded[0])
    pool = different_people_pool(pins, lfw) if o.adjust else None
    if o.experiment == 'rule' and o.adjust:
        print(f'table moved to each library (pool centre {location_scale(pool, floor=0)[0]:.3f}), candidates up to {o.adjust:.2f}, marginal {o.marginal}')
    elif o.experiment == 'rule':
        print(f'table {o.table}, transform {o.transform} (gate {o.gate}): ceiling {top:.2f}; share within 0.54 {share[24]:.3g}, 0.60 {share[30]:.3g}, 0.70 {share[40]:.3g}')

    lo, hi = (float(x) for x in o.thresholds.split(':'))
    grid = np.round(np.arange(lo, hi + 1e-9, 0.01), 2)
    for name, d in libs.items():
        v = transform(d, o.transform, o.gate, o.k, whitening)
        z = linkage(pdist(v, 'cosine'), o.linkage)
        truth, scored = d['person'][d['scored']], d['scored']
        if o.experiment == 'anatomy':
            anatomy(name, d, z, grid)
        elif o.experiment == 'oracle':
            f = [scores(clusters_at(z, t)[scored], truth) for t in grid]
            best = int(np.argmax([x[0] for x in f]))
            print(f'{name:15} best {grid[best]:.2f}: pairwise {f[best][0]:.3f} BCubed {f[best][1]:.3f}   ' +
                  ' '.join(f'{t:.2f}:{x[0]:.3f}/{x[1]:.3f}' for t, x in zip(grid, f)), flush=True)
        elif o.experiment == 'rule':
            if o.marginal is None:
                t = choose(d, v, share, top)
            elif o.adjust:
                t = choose_adjusted(d, v, pool, o.adjust, o.marginal, o.width)
            else:
                t = choose_marginal(d, v, share, top, o.marginal, o.width)
            f, b, p, r = scores(group_phase(v, z, t)[scored], truth)
            print(f'{name:15} group threshold {t:.2f}: pairwise {f:.3f} (P {p:.3f} R {r:.3f}) BCubed {b:.3f}', flush=True)
        elif o.vote:
            # After the shipped rule, a face left alone joins the cluster of its nearest face (of another photo) when
            # that face is within the cap and at least M of its K nearest faces are in that cluster.
            k, m = (int(x) for x in o.vote.split(':'))
            lab = group_phase(v, z, choose(d, v, share, top))
            before = scores(lab[scored], truth)
            lone = np.where(lab < 0)[0]
            near = nearest(subset(dict(d, V=v), np.ones(len(v), bool)), k)[lone]
            first = 1 - np.einsum('ij,ij->i', v[lone], v[near[:, 0]])
            joined = 0
            for i, row, gap in zip(lone, near, first):
                votes = Counter(lab[row][lab[row] >= 0])
                if votes and gap <= o.cap and votes.most_common(1)[0][1] >= m and lab[row[0]] == votes.most_common(1)[0][0]:
                    lab[i] = lab[row[0]]
                    joined += 1
            after = scores(lab[scored], truth)
            print(f'{name:15} {len(lone)} faces alone, {joined} joined: pairwise {before[0]:.3f} to {after[0]:.3f}, '
                  f'BCubed {before[1]:.3f} to {after[1]:.3f}', flush=True)
        else:
            # Faces alone or in pairs at the threshold join the nearest cluster of three or more faces when its mean
            # distance is under the cap and at least the margin below the second nearest's.
            t = {'pins-few': 0.72, 'pins-many': 0.63, 'pins-all': 0.69, 'pins+strangers': 0.61, 'lfw-all': 0.58, 'lfw-largest': 0.63}.get(name, 0.72)
            lab = clusters_at(z, t)
            raw = fcluster(z, t, 'distance')
            size = Counter(raw)
            big = [l for l in sorted(size) if size[l] >= 3]
            small = np.array([size[l] < 3 for l in raw])
            dist = 1 - v[small] @ np.stack([v[raw == l].mean(0) for l in big]).T
            near = np.sort(dist, axis=1)
            join = (near[:, 0] < o.cap) & (near[:, 1] - near[:, 0] > o.margin)
            before = scores(lab[scored], truth)
            idx = np.where(small)[0]
            lab[idx[join]] = np.array(big)[dist.argmin(1)[join]]
            after = scores(lab[scored], truth)
            print(f'{name:15} at {t:.2f} (as the rule chose in docs/benchmarks.md): pairwise {before[0]:.3f} to {after[0]:.3f}, '
                  f'BCubed {before[1]:.3f} to {after[1]:.3f}, {join.sum()} faces joined', flush=True)

if __name__ == '__main__':
    main()
