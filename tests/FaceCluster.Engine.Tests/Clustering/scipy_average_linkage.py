"""SciPy oracle for FaceCluster's average-linkage clustering (used by the xunit parity test).

usage: scipy_average_linkage.py INPUT OUTPUT THRESHOLD METRIC
INPUT: int32 n, int32 d, then n*d float32, little endian (upcast to float64).
The full distance matrix is computed and clustered by UPGMA (scipy.cluster.hierarchy.linkage, method 'average');
flat clusters are cut at THRESHOLD (fcluster, criterion 'distance': groups merged at a height <= THRESHOLD).
METRIC 'cosine': cosine distances. METRIC 'euclidean': FaceCluster's Euclidean linkage is the root of the mean
squared distance, so the matrix holds squared Euclidean distances and the cut is at THRESHOLD squared.
OUTPUT (JSON): labels (flat cluster per point, 1-based as fcluster gives them).
"""
import json
import sys

try:
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist
except ImportError as e:
    sys.stderr.write("SciPy is not importable by %s (%s): install python3-sklearn, which brings python3-scipy "
                     "(apt-get install -y python3-sklearn)\n" % (sys.executable, e))
    sys.exit(3)

inp, out, threshold, metric = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
n, d = (int(v) for v in np.fromfile(inp, dtype="<i4", count=2))
X = np.fromfile(inp, dtype="<f4", offset=8, count=n * d).reshape(n, d).astype(np.float64)
if metric == "euclidean":
    D, cut = pdist(X, metric="sqeuclidean"), threshold * threshold
else:
    D, cut = pdist(X, metric=metric), threshold
labels = fcluster(linkage(D, method="average"), t=cut, criterion="distance")
with open(out, "w") as f:
    json.dump({"labels": labels.tolist()}, f)
