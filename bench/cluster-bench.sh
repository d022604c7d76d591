#!/usr/bin/env bash
# DBSCAN speed: FaceCluster's exact DBSCAN against scikit-learn (Debian python3-sklearn, /usr/bin/python3) on the
# same synthetic identity-structured vectors (cosine, eps 0.40, min_samples 5), one process per configuration so
# that each peak working set is its own. scikit-learn runs only at 10k and 30k (it is quadratic and slow).
#   bench/cluster-bench.sh            10k, 30k, 100k at 128 and 512 dims
#   bench/cluster-bench.sh --large    also 300k at 128 dims
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/ClusterBench -v q -nologo >/dev/null
bench() { dotnet bench/ClusterBench/bin/Release/net10.0/ClusterBench.dll "$@"; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
bench kernel 512
# The narrower kernel paths, as on CPUs without AVX2 (Vector128: SSE, or AdvSimd on ARM64) or without SIMD.
DOTNET_EnableAVX2=0 bench kernel 512
DOTNET_EnableHWIntrinsic=0 bench kernel 512
for dim in 128 512; do
  for n in 10000 30000; do bench run "$n" "$dim" --sklearn; done
  bench run 100000 "$dim"
done
if [[ "${1:-}" == "--large" ]]; then bench run 300000 128; fi
echo "# load at end $(cut -d' ' -f1-3 /proc/loadavg)"
