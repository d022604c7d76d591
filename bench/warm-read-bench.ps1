#requires -Version 7.4
<#
.SYNOPSIS
    The nightly run's first stage on a library whose photos are all unchanged and in the store, in CPU seconds a
    photo: `Get-ChildItem LIBRARY -Recurse -File | Get-FaceEncoding -Store STORE | Measure-Object` beside
    `Get-FaceEncoding -LiteralPath LIBRARY -Recurse -Store STORE | Measure-Object` (the folder walked by the cmdlet),
    each round in a fresh pwsh, for each module given (so two builds are compared in one run, one after the other).
.DESCRIPTION
    Each round and module, in a fresh pwsh: the warm stage first (as a scheduled task runs it, its code compiled
    while it runs), then the library listed alone (`Get-ChildItem -Recurse -File | Measure-Object`, compiled by
    then), then `Get-FaceEncoding -Store STORE -FromStore LIBRARY | Measure-Object` (the library read straight from
    the store, without listing it), then the warm stage with the folder walked by Get-FaceEncoding -Recurse
    ("recurse"). The form run first pays for compiling the code both forms share: -Order RecurseFirst runs the
    -Recurse form first instead, so run both orders. With a module whose Get-FaceEncoding has no -Recurse (an older
    build), "recurse" is left out. Prints wall and CPU seconds (the process's TotalProcessorTime) of
    each, CPU microseconds a photo, and the load average before and after. Reads only: the store and the library are
    not changed (every photo must already be in the store at its path with its stamp, as after a nightly run; a copied
    library has new inodes and change times, so run the stage once on a fresh copy before timing it).
.EXAMPLE
    dotnet pwsh ./bench/warm-read-bench.ps1 -Library DIR/library -Store DIR/store.db -Module MAIN/FaceCluster.psd1, artifacts/module/FaceCluster/FaceCluster.psd1 -Repeat 20
.EXAMPLE
    dotnet pwsh ./bench/warm-read-bench.ps1 -Library DIR/library -Store DIR/store.db -Repeat 20 -Order RecurseFirst
.EXAMPLE
    dotnet pwsh ./bench/warm-read-bench.ps1 -Library DIR/library -Store DIR/store.db -Module MAIN/FaceCluster.psd1, artifacts/module/FaceCluster/FaceCluster.psd1 -Repeat 20 -RecurseOnly -Rounds 2
#>
param(
    [Parameter(Mandatory)] [string] $Library,
    [Parameter(Mandatory)] [string] $Store,
    # The modules to measure, in this order each round; the repository's build by default.
    [string[]] $Module,
    [int] $Rounds = 1,
    # The library listed this many times over in each command (Get-ChildItem -LiteralPath LIBRARY, LIBRARY, ...): the
    # pipeline's photos and faces at a larger scale from a small fixture. The store's size does not grow with it.
    [int] $Repeat = 1,
    # Which warm form runs first in each pwsh (and so pays for compiling the code both share): the Get-ChildItem form
    # (ListFirst, the default) or the -Recurse form (RecurseFirst).
    [ValidateSet('ListFirst', 'RecurseFirst')] [string] $Order = 'ListFirst',
    # Time only the -Recurse form and the listing alone (which counts the photos): the Get-ChildItem form and
    # -FromStore are left out, for a quicker comparison of builds.
    [switch] $RecurseOnly
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$modules = if ($Module) { $Module | ForEach-Object { (Resolve-Path -LiteralPath $_).Path } } else { Join-Path $root 'artifacts/module/FaceCluster/FaceCluster.psd1' }
$Library = (Resolve-Path -LiteralPath $Library).Path
$Store = (Resolve-Path -LiteralPath $Store).Path

$script = @'
param($module, $library, $store, $repeat, $order, $recurseOnly)
$ErrorActionPreference = 'Stop'
Import-Module $module
$libraries = @($library) * [int]$repeat
$process = [Diagnostics.Process]::GetCurrentProcess()
function Load { ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3) -join ' ' }
function Step([scriptblock] $run) {
    $process.Refresh(); $cpu = $process.TotalProcessorTime; $sw = [Diagnostics.Stopwatch]::StartNew(); $load = Load
    $count = (& $run).Count
    $process.Refresh()
    [ordered]@{ count = $count; seconds = $sw.Elapsed.TotalSeconds; cpuSeconds = ($process.TotalProcessorTime - $cpu).TotalSeconds; load = "$load -> $(Load)" }
}
$walks = (Get-Command Get-FaceEncoding).Parameters.ContainsKey('Recurse')
$recurseRun = { Get-FaceEncoding -LiteralPath $libraries -Recurse -Store $store | Measure-Object }
$recurse = if ($walks -and $order -eq 'RecurseFirst') { Step $recurseRun }
$warm = if ($recurseOnly -ne 'True') { Step { Get-ChildItem -LiteralPath $libraries -Recurse -File | Get-FaceEncoding -Store $store | Measure-Object } }
$photos = Step { Get-ChildItem -LiteralPath $libraries -Recurse -File | Measure-Object }
$fromStore = if ($recurseOnly -ne 'True') { Step { Get-FaceEncoding -Store $store -FromStore -LiteralPath $libraries | Measure-Object } }
if ($walks -and $order -ne 'RecurseFirst') { $recurse = Step $recurseRun }
$process.Refresh()
[ordered]@{ photos = $photos; warm = $warm; fromStore = $fromStore; recurse = $recurse; peakGB = $process.PeakWorkingSet64 / 1GB } | ConvertTo-Json -Compress -Depth 3
'@

$exe = [Environment]::ProcessPath
$pre = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
$file = Join-Path ([IO.Path]::GetTempPath()) "warm-read-bench-$PID.ps1"
Set-Content -LiteralPath $file -Value $script
Write-Host "# $([DateTime]::UtcNow.ToString('s'))Z, $([Environment]::ProcessorCount) cores; library $Library (listed $Repeat time(s)), store $Store; $Order"
try {
    foreach ($round in 1..$Rounds) {
        foreach ($m in $modules) {
            $json = & $exe @pre -NoProfile -NonInteractive -File $file $m $Library $Store $Repeat $Order $RecurseOnly.IsPresent | Select-Object -Last 1
            if ($LASTEXITCODE) { throw "The run of $m failed." }
            $r = $json | ConvertFrom-Json
            $n = $r.photos.count
            $text = foreach ($name in 'warm', 'photos', 'fromStore', 'recurse') {
                $s = $r.$name
                if (-not $s) { continue }
                '{0} {1:N1} s, {2:N2} s CPU ({3:N0} µs a photo; {4} objects; load {5})' -f $name, $s.seconds, $s.cpuSeconds, (1e6 * $s.cpuSeconds / $n), $s.count, $s.load
            }
            Write-Host ("round {0}, {1}: {2} photos; {3}; peak working set {4:N2} GB" -f $round, $m, $n, ($text -join '; '), $r.peakGB)
        }
    }
}
finally {
    Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
}
