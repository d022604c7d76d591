#requires -Version 7.4
<#
.SYNOPSIS
    Photos per second, CPU time per photo and peak memory of Get-FaceEncoding, on the sample photos, on
    12-megapixel camera photos made from them at bench time (bench/CameraBench.cs --make: 4032x3024, sensor-like
    noise, JPEG quality 90), and on the first N images of LFW (../shared/datasets/lfw-deepfunneled, sorted by
    path), in one run so that the machine's load weighs on all alike. With -Store: a cold run of Get-FaceEncoding
    -Store over all of LFW into a new encoding store against a rerun with that store warm (the files are listed
    before either is timed; the listing's own time is printed too).
.EXAMPLE
    dotnet pwsh ./bench/encode-bench.ps1 -Count 1000
.EXAMPLE
    dotnet pwsh ./bench/encode-bench.ps1 -Store
#>
param(
    [int] $Count = 1000,
    [int] $CameraCopies = 4,
    [switch] $Store,
    # With -Store: the store file to use and keep; the cold run is skipped when it exists already.
    [string] $StorePath,
    [string] $Lfw = (Join-Path $PSScriptRoot '../../shared/datasets/lfw-deepfunneled'),
    [int] $ThrottleLimit = [Environment]::ProcessorCount,
    [string] $Model,
    # The module to measure (to compare two builds in one session); the repository's build by default.
    [string] $Module
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$module = if ($Module) { (Resolve-Path -LiteralPath $Module).Path } else { Join-Path $root 'artifacts/module/FaceCluster/FaceCluster.psd1' }
if (-not (Test-Path $module)) { throw "Build first: dotnet pwsh ./build.ps1" }

function Measure-Encoding([string] $Name, [string[]] $Files) {
    # Each run in a fresh process, so its peak working set is its own.
    $list = Join-Path ([IO.Path]::GetTempPath()) "fc-bench-$([guid]::NewGuid()).txt"
    Set-Content -LiteralPath $list -Value $Files
    $modelArg = if ($Model) { "-Model '$Model'" } else { '' }
    $script = @"
Import-Module '$module'
`$files = Get-Content -LiteralPath '$list'
# Warm-up outside the timing: the first image pays for loading the model sessions.
`$null = Get-FaceEncoding -LiteralPath `$files[0] $modelArg
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$cpu = `$process.TotalProcessorTime
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$faces = @(Get-FaceEncoding -LiteralPath `$files -ThrottleLimit $ThrottleLimit $modelArg -ErrorAction SilentlyContinue)
`$sw.Stop()
`$process.Refresh()
[pscustomobject]@{ seconds = `$sw.Elapsed.TotalSeconds; cpuSeconds = (`$process.TotalProcessorTime - `$cpu).TotalSeconds; faces = `$faces.Count; photosWithFace = @(`$faces.Path | Sort-Object -Unique).Count; peakMiB = `$process.PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
    $exe = [Environment]::ProcessPath
    $pre = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $json = & $exe @pre -NoProfile -NonInteractive -Command $script | Select-Object -Last 1
    Remove-Item -LiteralPath $list
    $r = $json | ConvertFrom-Json
    [pscustomobject]@{
        Set = $Name; Photos = $Files.Count; Faces = $r.faces; PhotosWithFace = $r.photosWithFace
        Seconds = [math]::Round($r.seconds, 2); PhotosPerSecond = [math]::Round($Files.Count / $r.seconds, 1)
        # CPU time of the whole process (every thread, the garbage collector's too) per photo, which a shared machine's
        # load hardly changes; the cores divided by it bound the rate of an otherwise idle machine.
        CpuMsPerPhoto = [math]::Round(1000 * $r.cpuSeconds / $Files.Count)
        IdleBound = [math]::Round([Environment]::ProcessorCount * $Files.Count / $r.cpuSeconds, 1)
        PeakMiB = [math]::Round($r.peakMiB); Threads = $ThrottleLimit
    }
}

function Measure-StoreRun([string] $Name, [string] $Db, [string] $List) {
    # Get-FaceEncoding -Store over every LFW photo, named as arguments as in Measure-Encoding, in a fresh process.
    # The model packs load inside the timing: a rerun pays for them too.
    $modelArg = if ($Model) { "-Model '$Model'" } else { '' }
    $script = @"
Import-Module '$module'
`$files = Get-Content -LiteralPath '$List'
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$cpu = `$process.TotalProcessorTime
`$out = @(Get-FaceEncoding -LiteralPath `$files -Store '$Db' -ThrottleLimit $ThrottleLimit $modelArg -ErrorAction SilentlyContinue -Verbose 4>&1)
`$sw.Stop()
`$process.Refresh()
`$summary = @(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] })[-1].Message
[pscustomobject]@{ seconds = `$sw.Elapsed.TotalSeconds; cpuSeconds = (`$process.TotalProcessorTime - `$cpu).TotalSeconds; summary = `$summary; peakMiB = `$process.PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
    $exe = [Environment]::ProcessPath
    $pre = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $r = & $exe @pre -NoProfile -NonInteractive -Command $script | Select-Object -Last 1 | ConvertFrom-Json
    if ($r.summary -notmatch '^(\d+) image\(s\): (\d+) face\(s\).* (\d+) image\(s\) from the store') { throw "No summary from the $Name run: $($r.summary)" }
    [pscustomobject]@{
        Run = $Name; Photos = [int] $Matches[1]; Faces = [int] $Matches[2]; FromStore = [int] $Matches[3]
        Seconds = [math]::Round($r.seconds, 2); PhotosPerSecond = [math]::Round([int] $Matches[1] / $r.seconds, 1)
        # CPU time of the whole process per photo (the model packs' loading included), which load changes less.
        CpuMsPerPhoto = [math]::Round(1000 * $r.cpuSeconds / [int] $Matches[1], 2)
        PeakMiB = [math]::Round($r.peakMiB); Threads = $ThrottleLimit
    }
}

if ($Store) {
    if (-not (Test-Path -LiteralPath $Lfw)) { throw "LFW not found at $Lfw (-Lfw names it)." }
    $list = Join-Path ([IO.Path]::GetTempPath()) "fc-bench-$([guid]::NewGuid()).txt"
    $listing = [Diagnostics.Stopwatch]::StartNew()
    $lfwFiles = Get-ChildItem -LiteralPath $Lfw -Recurse -File -Filter *.jpg | ForEach-Object FullName | Sort-Object
    # -Count, when given, takes the first photos only (all of LFW otherwise).
    if ($PSBoundParameters.ContainsKey('Count')) { $lfwFiles = $lfwFiles | Select-Object -First $Count }
    "Get-ChildItem -Recurse over LFW: {0} photos in {1:0.0} s (not in the timings below)." -f $lfwFiles.Count, $listing.Elapsed.TotalSeconds
    Set-Content -LiteralPath $list -Value $lfwFiles
    $db = if ($StorePath) { $StorePath } else { Join-Path ([IO.Path]::GetTempPath()) "fc-bench-store-$([guid]::NewGuid()).db" }
    try {
        $cold = if (-not (Test-Path -LiteralPath $db)) { Measure-StoreRun 'cold (new store)' $db $list }
        $warm = Measure-StoreRun 'rerun (warm store)' $db $list
    }
    finally {
        Remove-Item -LiteralPath $list
        if (-not $StorePath) { Remove-Item -LiteralPath $db, "$db-wal", "$db-shm" -ErrorAction Ignore }
    }
    @($cold, $warm) | Where-Object { $_ } | Format-Table -AutoSize | Out-String -Width 200
    if ($cold) { "Rerun {0:0.0}x faster than the cold run, {1:0} photos/s." -f ($cold.Seconds / $warm.Seconds), $warm.PhotosPerSecond }
    return
}

$samples = Get-ChildItem -LiteralPath (Join-Path $root 'artifacts/samples') -Filter *.jpg | Sort-Object FullName | ForEach-Object FullName
$results = @(Measure-Encoding 'samples (6 group photos)' $samples)
if ($CameraCopies -gt 0) {
    $camera = Join-Path ([IO.Path]::GetTempPath()) "fc-bench-camera-$([guid]::NewGuid())"
    dotnet run -c Release (Join-Path $PSScriptRoot 'CameraBench.cs') -- --make $camera --copies $CameraCopies | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "bench/CameraBench.cs --make failed" }
    $cameraFiles = Get-ChildItem -LiteralPath $camera -Filter *.jpg | Sort-Object FullName | ForEach-Object FullName
    $results += Measure-Encoding "12 MP camera photos ($CameraCopies of each sample)" $cameraFiles
    Remove-Item -LiteralPath $camera -Recurse
}
if (Test-Path -LiteralPath $Lfw) {
    $lfwFiles = Get-ChildItem -LiteralPath $Lfw -Recurse -File -Filter *.jpg | ForEach-Object FullName | Sort-Object | Select-Object -First $Count
    $results += Measure-Encoding "LFW first $Count" $lfwFiles
}
else { Write-Warning "LFW not found at $Lfw; measured the samples only." }
$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'unknown' }
"Load average (1, 5, 15 min) at the end: $load; $([Environment]::ProcessorCount) cores"
$results | Format-Table -AutoSize | Out-String -Width 200
