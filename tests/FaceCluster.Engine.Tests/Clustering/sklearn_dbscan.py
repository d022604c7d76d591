"""scikit-learn oracle for FaceCluster's DBSCAN (used by the xunit parity test and bench/ClusterBench).

usage: sklearn_dbscan.py INPUT OUTPUT EPS MIN_SAMPLES METRIC
INPUT: int32 n, int32 d, then n*d float32, little endian. The data is upcast to float64 so that sklearn
computes distances in double, as FaceCluster's boundary recheck does.
OUTPUT (JSON): labels, core (indices), nearest_core (per point: index of the nearest core point for
non-core points within eps of one, else -1), seconds (DBSCAN.fit only), max_rss_kb (peak of this process).
"""
import json
import resource
import sys
import time

try:
    import numpy as np
    from sklearn.cluster import DBSCAN
    from sklearn.neighbors import NearestNeighbors
except ImportError as e:
    sys.stderr.write("scikit-learn is not importable by %s (%s): install python3-sklearn "
                     "(apt-get install -y python3-sklearn)\n" % (sys.executable, e))
    sys.exit(3)

inp, out, eps, min_samples, metric = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
n, d = (int(v) for v in np.fromfile(inp, dtype="<i4", count=2))
X = np.fromfile(inp, dtype="<f4", offset=8, count=n * d).reshape(n, d).astype(np.float64)

start = time.perf_counter()
db = DBSCAN(eps=eps, min_samples=min_samples, metric=metric, n_jobs=-1).fit(X)
seconds = time.perf_counter() - start

labels = db.labels_
core = db.core_sample_indices_
is_core = np.zeros(n, dtype=bool)
is_core[core] = True
nearest = np.full(n, -1, dtype=np.int64)
border = np.where((labels >= 0) & ~is_core)[0]
if len(border) > 0:
    nn = NearestNeighbors(n_neighbors=1, metric=metric, algorithm="brute").fit(X[core])
    _, idx = nn.kneighbors(X[border], n_neighbors=1)
    nearest[border] = core[idx[:, 0]]

with open(out, "w") as f:
    json.dump({
        "labels": labels.tolist(),
        "core": core.tolist(),
        "nearest_core": nearest.tolist(),
        "seconds": seconds,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }, f)
