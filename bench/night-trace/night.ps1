#requires -Version 7.4
<#
.SYNOPSIS
    The nightly command's three stages in one pwsh, for a profiler: the store read, Invoke-FaceCluster -Previous and
    Export-FaceCluster -Sync on a fixture of bench/nightly-million.ps1 (WORK holds library/, store.db, export/).
    Prints each stage's wall and CPU seconds and the sync's summary.
.EXAMPLE
    dotnet-trace collect --format Speedscope -o night.nettrace -- dotnet PSHOME/pwsh.dll -NoProfile -File bench/night-trace/night.ps1 -Module artifacts/module/FaceCluster/FaceCluster.psd1 -Work WORK
    python3 bench/night-trace/frames.py night.speedscope.json under 'ExportFaceClusterCommand.EndProcessing' 2
#>
param([Parameter(Mandatory)] [string] $Module, [Parameter(Mandatory)] [string] $Work)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$process = [Diagnostics.Process]::GetCurrentProcess()
function Stage([string] $Name, [scriptblock] $Run) {
    $process.Refresh(); $cpu = $process.TotalProcessorTime; $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = & $Run
    $process.Refresh()
    Write-Host ('{0}: {1:0.00} s wall, {2:0.00} s CPU' -f $Name, $sw.Elapsed.TotalSeconds, ($process.TotalProcessorTime - $cpu).TotalSeconds)
    , $out
}
$faces = Stage 'store read' { @(Get-FaceEncoding -LiteralPath (Join-Path $Work 'library') -Recurse -Store (Join-Path $Work 'store.db')) }
$groups = Stage 'clustering' { @($faces | Invoke-FaceCluster -Previous (Join-Path $Work 'export')) }
$summary = Stage 'sync' { $groups | Export-FaceCluster -Path (Join-Path $Work 'export') -Sync }
$summary | Select-Object People, Photos, Kept, Added, Moved, Updated, Removed, LeftAlone, Failed, Complete | Format-List | Out-String | Write-Host
