#!/usr/bin/env bash
# The dlib pack's speed peer: face-api 1.7.15 itself under Node.js (TensorFlow.js WASM backend, the reference
# harness in tests/reference-harness) against Get-FaceEncoding -Model dlib, in the same run, on the same six
# sample photos, each pinned to one core (taskset -c 0), models loaded before the clock starts. Prints photos per
# second per core of each and the ratio.
#   bench/dlib-speed.sh [REPEAT]     times the whole set REPEAT times (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-5}
module=artifacts/module/FaceCluster/FaceCluster.psd1
samples=artifacts/samples
[[ -f $module ]] || { echo "Build first: dotnet pwsh ./build.ps1" >&2; exit 1; }
(cd tests/reference-harness && { [[ -d node_modules ]] || npm install --no-audit --no-fund --silent; })
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd tests/reference-harness && taskset -c 0 node record-reference.js --out "$out" --repeat "$repeat" >/dev/null)
peer=$(node -e "console.log(require('$out/reference.json').photosPerSecond.toFixed(3))")

ours=$(taskset -c 0 dotnet pwsh -NoProfile -NonInteractive -Command "
\$ErrorActionPreference = 'Stop'
Import-Module './$module'
\$files = @(Get-ChildItem -LiteralPath '$samples' -Filter 'sample*.jpg' | Sort-Object Name)
\$null = Get-FaceEncoding -LiteralPath \$files[0].FullName -Model dlib -ThrottleLimit 1
\$sw = [Diagnostics.Stopwatch]::StartNew()
for (\$r = 0; \$r -lt $repeat; \$r++) { \$null = \$files | Get-FaceEncoding -Model dlib -ThrottleLimit 1 }
'{0:0.000}' -f ($repeat * \$files.Count / \$sw.Elapsed.TotalSeconds)" | tail -1)

echo "face-api (Node.js, WASM), one core:         $peer photos/s"
echo "Get-FaceEncoding -Model dlib, one core:    $ours photos/s"
echo "ratio: $(node -e "console.log(($ours / $peer).toFixed(1))")x"
