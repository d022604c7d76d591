#requires -Version 7.4
<#
.SYNOPSIS
    Issue 22's nightly run, end to end through the cmdlets: a library of -Faces realistic faces with an encoding
    store and an earlier export, then a night that adds -NewShare new photos, timed as a scheduled task runs it:
        Get-FaceEncoding -LiteralPath LIBRARY -Recurse -Store STORE |
            Invoke-FaceCluster -Previous EXPORT | Export-FaceCluster -Path EXPORT -Sync
    (by default; -StoreRead GetChildItem times the earlier form, `Get-ChildItem LIBRARY -Recurse -File |
    Get-FaceEncoding -Store STORE`), and the same night with -Recluster (the full run), for the ratio.
.DESCRIPTION
    The fixture is made once in -Work by `NightlyBench library` (bench/NightlyBench): the library's photos (small
    distinct JPEG files, 1.25 faces a photo, RealisticFaces' vectors), the new photos beside it (WORK/added), every
    photo's faces in an SQLite store as Get-FaceEncoding -Store leaves them (so no photo is encoded), and a first
    export (copies) of the generator's people. Each run of this script then:
    1. takes the new photos out of the library (WORK/library/night) if an earlier run left them, and runs the nightly
       command once untimed ("before the night": the export as the module leaves it, review page and thumbnails
       included; slow the first time, as every thumbnail is made);
    2. copies the new photos into WORK/library/night and passes them through Get-FaceEncoding -Store alone, untimed:
       their encoding is excluded (the store has their faces, found by content, as if encoded that evening);
    3. times the night in a fresh pwsh, each stage on its own so its time can be told (Get-FaceEncoding -Store into
       an array, Invoke-FaceCluster -Previous, Export-FaceCluster -Sync), printing each stage's wall and CPU seconds,
       the process's peak working set, the load average and what the sync did;
    4. unless -SkipFull, times the full run the same way (Invoke-FaceCluster -Previous -Recluster) on the same
       night, and prints full / nightly.
    The night after a full run starts from the export the full run left. Rerun with the same -Work to measure again.
.EXAMPLE
    dotnet pwsh ./bench/nightly-million.ps1 -Faces 50000 -NewShare 0.01 -Work /tmp/fc-nightly-50k
.EXAMPLE
    dotnet pwsh ./bench/nightly-million.ps1 -Faces 1000000 -NewShare 0.01 -Work /tmp/fc-nightly-1m -SkipFull
.EXAMPLE
    dotnet pwsh ./bench/nightly-million.ps1 -Faces 50000 -Work /tmp/fc-nightly-50k -SkipFull -StoreRead GetChildItem
#>
param(
    [int] $Faces = 100000,
    [double] $NewShare = 0.01,
    # The fixture's folder, kept between runs (about 10 KB a face: photos, export, store).
    [Parameter(Mandatory)] [string] $Work,
    # Time the nightly run only, not the full one.
    [switch] $SkipFull,
    # How the store-read stage lists the library: Get-FaceEncoding walking it itself (Recurse, the default, the
    # scheduled task's form in the docs) or Get-ChildItem -Recurse -File piped in (GetChildItem). Every run of the
    # script, the untimed one before the night included, uses this form.
    [ValidateSet('Recurse', 'GetChildItem')] [string] $StoreRead = 'Recurse',
    # The module to measure; the repository's build by default.
    [string] $Module
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$module = if ($Module) { (Resolve-Path -LiteralPath $Module).Path } else { Join-Path $root 'artifacts/module/FaceCluster/FaceCluster.psd1' }
if (-not (Test-Path -LiteralPath $module)) { throw "Build first: dotnet pwsh ./build.ps1" }
$Work = [IO.Path]::GetFullPath($Work)
$library = Join-Path $Work 'library'
$night = Join-Path $library 'night'
$added = Join-Path $Work 'added'
$store = Join-Path $Work 'store.db'
$export = Join-Path $Work 'export'

function Get-Load { if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'unknown' } }

# 0. The fixture, once.
$fixture = Join-Path $Work 'fixture.json'
if (Test-Path -LiteralPath $fixture) {
    $made = Get-Content -LiteralPath $fixture -Raw | ConvertFrom-Json
    if ($made.faces -ne $Faces -or $made.share -ne $NewShare) {
        throw "$Work holds a fixture of $($made.faces) faces + $($made.share): use another -Work, or remove it."
    }
}
else {
    dotnet build -c Release (Join-Path $root 'bench/NightlyBench') -v quiet -nologo | Out-Host
    if ($LASTEXITCODE) { throw 'NightlyBench does not build.' }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    dotnet (Join-Path $root 'bench/NightlyBench/bin/Release/net10.0/NightlyBench.dll') library $Work $Faces $NewShare | Out-Host
    if ($LASTEXITCODE) { throw 'NightlyBench library failed.' }
    Write-Host "fixture made in $([math]::Round($sw.Elapsed.TotalMinutes, 1)) min"
    $made = Get-Content -LiteralPath $fixture -Raw | ConvertFrom-Json
}

$read = if ($StoreRead -eq 'Recurse') { "Get-FaceEncoding -LiteralPath '$library' -Recurse -Store '$store'" }
else { "Get-ChildItem -LiteralPath '$library' -Recurse -File | Get-FaceEncoding -Store '$store'" }

# One night in a fresh pwsh: each stage timed, its CPU seconds and the peak working set, as one JSON line.
function Invoke-Night([string] $Name, [string] $ClusterArgs) {
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module'
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$stages = [ordered]@{}
function Stage([string] `$name, [scriptblock] `$run) {
    `$process.Refresh(); `$cpu = `$process.TotalProcessorTime; `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$out = & `$run
    `$process.Refresh()
    `$stages[`$name] = [ordered]@{ seconds = [math]::Round(`$sw.Elapsed.TotalSeconds, 1); cpuSeconds = [math]::Round((`$process.TotalProcessorTime - `$cpu).TotalSeconds, 1) }
    , `$out
}
`$load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3
`$all = [Diagnostics.Stopwatch]::StartNew(); `$cpu0 = `$process.TotalProcessorTime
`$faces = Stage 'store read' { @($read) }
# Which run the clustering made (incremental, or full and why), from its verbose message.
`$clusteringRun = `$null
`$groups = Stage 'clustering' {
    @(`$faces | Invoke-FaceCluster -Previous '$export' $ClusterArgs -Verbose 4>&1 | ForEach-Object {
        if (`$_ -isnot [Management.Automation.VerboseRecord]) { `$_ }
        elseif (`$_.Message -match '^(Incremental run|Full clustering)') { `$script:clusteringRun = `$_.Message }
    })
}
`$faceCount = `$faces.Count; `$faces = `$null
# Export-FaceCluster's own steps, told by the times of its verbose messages: the groups read and the sync planned
# (until it says what it keeps), the files and faces.json written (until it reports the final faces.json), then the
# review page.
`$marks = [Collections.Generic.List[object]]::new()
`$syncStart = `$all.Elapsed.TotalSeconds; `$process.Refresh(); `$syncCpuStart = `$process.TotalProcessorTime.TotalSeconds
`$summary = Stage 'sync' {
    `$groups | Export-FaceCluster -Path '$export' -Sync -Verbose 4>&1 | ForEach-Object {
        if (`$_ -is [Management.Automation.VerboseRecord]) { `$process.Refresh(); `$marks.Add([pscustomobject]@{ at = `$all.Elapsed.TotalSeconds; cpu = `$process.TotalProcessorTime.TotalSeconds; message = `$_.Message }) } else { `$_ }
    }
}
`$planned = `$marks | Where-Object message -Match 'holds an earlier export' | Select-Object -First 1
`$reviewed = `$marks | Where-Object message -Match 'faces\.json' | Select-Object -Last 1
`$syncEnd = `$syncStart + `$stages['sync'].seconds; `$syncCpuEnd = `$syncCpuStart + `$stages['sync'].cpuSeconds
`$syncSteps = if (`$planned -and `$reviewed) {
    [ordered]@{
        'groups read and sync planned' = "`$([math]::Round(`$planned.at - `$syncStart, 1)) s (`$([math]::Round(`$planned.cpu - `$syncCpuStart, 1)) s CPU)"
        'files and faces.json' = "`$([math]::Round(`$reviewed.at - `$planned.at, 1)) s (`$([math]::Round(`$reviewed.cpu - `$planned.cpu, 1)) s CPU)"
        'review page' = "`$([math]::Round(`$syncEnd - `$reviewed.at, 1)) s (`$([math]::Round(`$syncCpuEnd - `$reviewed.cpu, 1)) s CPU)"
    }
}
`$process.Refresh()
[pscustomobject]@{
    seconds = [math]::Round(`$all.Elapsed.TotalSeconds, 1); cpuSeconds = [math]::Round((`$process.TotalProcessorTime - `$cpu0).TotalSeconds, 1)
    peakGB = [math]::Round(`$process.PeakWorkingSet64 / 1GB, 2); stages = `$stages; faces = `$faceCount; groups = `$groups.Count
    loadBefore = `$load -join ' '; loadAfter = ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3) -join ' '
    syncSteps = `$syncSteps
    clusteringRun = `$clusteringRun
    sync = `$summary | Select-Object People, Photos, Kept, Added, Moved, Updated, Removed, LeftAlone, Failed, Complete
} | ConvertTo-Json -Compress -Depth 4
"@
    $exe = [Environment]::ProcessPath
    $pre = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $json = & $exe @pre -NoProfile -NonInteractive -Command $script | Select-Object -Last 1
    if ($LASTEXITCODE) { throw "The $Name run failed." }
    $r = $json | ConvertFrom-Json
    $stageText = ($r.stages.PSObject.Properties | ForEach-Object { "$($_.Name) $($_.Value.seconds) s ($($_.Value.cpuSeconds) s CPU)" }) -join ', '
    $syncText = if ($r.syncSteps) { ' (' + (($r.syncSteps.PSObject.Properties | ForEach-Object { "$($_.Name) $($_.Value)" }) -join ', ') + ')' } else { '' }
    Write-Host ("{0}: {1} s, {2} s CPU, peak working set {3} GB; {4}{5}; {6} faces, {7} groups; load {8} -> {9}; clustering: {11}; sync: {10}" -f
        $Name, $r.seconds, $r.cpuSeconds, $r.peakGB, $stageText, $syncText, $r.faces, $r.groups, $r.loadBefore, $r.loadAfter,
        (($r.sync.PSObject.Properties | ForEach-Object { "$($_.Name) $($_.Value)" }) -join ', '), $r.clusteringRun)
    if (-not $r.sync.Complete) { throw "The $Name run's export is not complete." }
    $r
}

Write-Host "# $([DateTime]::UtcNow.ToString('s'))Z, $([Environment]::ProcessorCount) cores, load $(Get-Load); $($made.faces) faces in $($made.libraryPhotos) photos + $($made.addedFaces) new faces in $($made.addedPhotos) photos; store read: $read"

# 1. Before the night: the library without the new photos, the export as the module leaves it.
if (Test-Path -LiteralPath $night) { Remove-Item -LiteralPath $night -Recurse -Force }
$null = Invoke-Night 'before the night (untimed setup, no new photos)' ''

# 2. The new photos, their encoding excluded: copied in, then found in the store by content.
Copy-Item -LiteralPath $added -Destination $night -Recurse
Import-Module $module
$sw = [Diagnostics.Stopwatch]::StartNew()
$newFaces = @(Get-ChildItem -LiteralPath $night -Recurse -File | Get-FaceEncoding -Store $store).Count
Write-Host "new photos: $(@(Get-ChildItem -LiteralPath $night -Recurse -File).Count) copied in, $newFaces faces from the store (excluded: $([math]::Round($sw.Elapsed.TotalSeconds, 1)) s)"

# 3. The night, then 4. the full run of the same night.
$nightly = Invoke-Night 'nightly' ''
if (-not $SkipFull) {
    $full = Invoke-Night 'full (-Recluster)' '-Recluster'
    Write-Host ("full / nightly: {0:0.0}x (CPU {1:0.0}x)" -f ($full.seconds / $nightly.seconds), ($full.cpuSeconds / $nightly.cpuSeconds))
}
Write-Host "# load at the end $(Get-Load)"
