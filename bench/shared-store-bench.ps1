#requires -Version 7.4
<#
.SYNOPSIS
    The PostgreSQL encoding store on the same photos (the first -Count of LFW, ../shared/datasets/lfw-deepfunneled):
    (1) 1 worker process against 2 and 4 (each Get-FaceEncoding -Store with its default -ThrottleLimit) filling one
    fresh database together, as throughput in photos a second and its ratio to 1 worker, with how many photos the
    workers encoded between them (each once: -Count); (2) the PostgreSQL store against the SQLite store, one process,
    on a cold run (an empty store) and -WarmRuns warm reruns each (every photo stored), alternating so the machine's
    load weighs on both alike; each round prints its ratios (its best warm run of each), the best of all counts, and
    beside it the median of the rounds' cold ratios and of every warm run of each store (a warm rerun of 3,000
    photos takes a third of a second, so one lucky run moves the best by 20 to 30%).
    Beside wall time each run prints CPU seconds (this process's, and for PostgreSQL its server's too), which a
    loaded machine distorts less. It starts its own PostgreSQL server (tests/PostgresSupport.ps1) on 127.0.0.1 and
    prints the load average before and after.
.EXAMPLE
    dotnet pwsh ./bench/shared-store-bench.ps1 -Count 300 -Rounds 2
.EXAMPLE
    dotnet pwsh ./bench/shared-store-bench.ps1 -Count 300 -Rounds 0     # the workers only
.EXAMPLE
    dotnet pwsh -c "& ./bench/shared-store-bench.ps1 -Count 300 -Rounds 3 -WarmRuns 6 -Workers @()"   # the stores only
#>
param(
    [int] $Count = 300,
    [int] $Rounds = 2,
    [int[]] $Workers = @(1, 2, 4),
    [int] $WarmRuns = 2,
    [string] $Lfw = (Join-Path $PSScriptRoot '../../shared/datasets/lfw-deepfunneled'),
    [string] $Module = (Join-Path $PSScriptRoot '../artifacts/module/FaceCluster/FaceCluster.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path -LiteralPath $Module)) { throw "Build first: dotnet pwsh ./build.ps1" }
if (-not (Test-Path -LiteralPath $Lfw)) { throw "LFW not found at $Lfw (-Lfw names it)." }
$Module = (Resolve-Path -LiteralPath $Module).Path
. (Join-Path $PSScriptRoot '../tests/PostgresSupport.ps1')
Import-Module $Module

function Get-Load { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' }

$photos = @(Get-ChildItem -LiteralPath $Lfw -Recurse -File -Filter *.jpg | Sort-Object FullName | Select-Object -First $Count | ForEach-Object FullName)
$work = Join-Path ([IO.Path]::GetTempPath()) "shared-store-bench-$([guid]::NewGuid().ToString('N'))"
$null = New-Item -ItemType Directory -Path $work
$list = Join-Path $work 'photos.txt'
Set-Content -LiteralPath $list -Value $photos
$server = Start-TestPostgres
try {
    "photos: $($photos.Count) from LFW; cores: $([Environment]::ProcessorCount); load before: $(Get-Load)"

    # (1) Workers: each a fresh pwsh that imports the module, waits for the start file, encodes every photo.
    $base = $null
    foreach ($n in $Workers) {
        $db = New-TestDatabase $server
        $go = Join-Path $work "go-$n"
        $script = @"
Import-Module '$Module'
`$photos = Get-Content -LiteralPath '$list'
while (-not (Test-Path -LiteralPath '$go')) { Start-Sleep -Milliseconds 10 }
`$v = @(Get-FaceEncoding -LiteralPath `$photos -Store '$db' -Verbose -ErrorAction SilentlyContinue 4>&1 |
    Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] })[-1].Message
if (`$v -match '(\d+) image\(s\):.* (\d+) image\(s\) from the store') { [int] `$Matches[1] - [int] `$Matches[2] }
"@
        $processes = @(1..$n | ForEach-Object {
            $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
            if ([IO.Path]::GetFileNameWithoutExtension($info.FileName) -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $script) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardOutput = $true
            [Diagnostics.Process]::Start($info)
        })
        Start-Sleep -Seconds (10 + 5 * $n) # every worker has imported the module
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Set-Content -LiteralPath $go -Value go
        $outputs = @($processes | ForEach-Object { $_.StandardOutput.ReadToEndAsync() })
        $processes | ForEach-Object { $_.WaitForExit() }
        $seconds = $clock.Elapsed.TotalSeconds
        $encoded = ($outputs | ForEach-Object { [int] $_.Result.Trim() } | Measure-Object -Sum).Sum
        $rate = $photos.Count / $seconds
        if (-not $base) { $base = $rate }
        '{0} worker(s): {1:0.0} s, {2:0.0} photos/s, x{3:0.00} of 1 worker; encoded {4} (each once: {5})' -f $n, $seconds, $rate, ($rate / $base), $encoded, ($encoded -eq $photos.Count)
    }

    # (2) PostgreSQL against SQLite, in this process, alternating.
    $best = @{}
    $bestCpu = @{}
    $me = [Diagnostics.Process]::GetCurrentProcess()
    function Measure-Run([string] $Name, [string] $Store) {
        # Wall time; and CPU seconds, which a loaded machine distorts less: this process's, plus the server's for PostgreSQL.
        $server0 = Get-PostgresServerCpu $server
        $me.Refresh(); $cpu0 = $me.TotalProcessorTime
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $faces = @(Get-FaceEncoding -LiteralPath $photos -Store $Store -ErrorAction SilentlyContinue).Count
        $seconds = $clock.Elapsed.TotalSeconds
        $me.Refresh(); $cpu = ($me.TotalProcessorTime - $cpu0).TotalSeconds
        $serverCpu = if ($Name -like 'postgres*') { (Get-PostgresServerCpu $server) - $server0 } else { 0 }
        if (-not $best[$Name] -or $seconds -lt $best[$Name]) { $best[$Name] = $seconds }
        if (-not $bestCpu[$Name] -or $cpu + $serverCpu -lt $bestCpu[$Name]) { $bestCpu[$Name] = $cpu + $serverCpu }
        $script:last = $seconds
        $script:lastCpu = $cpu + $serverCpu
        '  {0}: {1:0.00} s ({2} faces; CPU {3:0.00} s{4})' -f $Name, $seconds, $faces, $cpu, $(if ($Name -like 'postgres*') { ' + server {0:0.00} s' -f $serverCpu })
    }
    # Every warm run of each store, all rounds: their medians, which one lucky run moves less than the best.
    $warmAll = @{ sqlite = [Collections.Generic.List[double]]::new(); postgres = [Collections.Generic.List[double]]::new() }
    $coldRatios = [Collections.Generic.List[double]]::new()
    for ($round = 1; $round -le $Rounds; $round++) {
        "round $round (load $(Get-Load))"
        $sqlite = Join-Path $work "faces-$round.db"
        $pg = New-TestDatabase $server
        Measure-Run 'sqlite cold' $sqlite
        $coldSqlite = $last
        Measure-Run 'postgres cold' $pg
        $coldPostgres = $last
        $coldRatios.Add($coldPostgres / $coldSqlite)
        $warm = @{}
        $warmCpu = @{}
        for ($run = 0; $run -lt $WarmRuns; $run++) {
            # ABBA: neither store always goes first.
            foreach ($name in @(if ($run % 2) { 'postgres', 'sqlite' } else { 'sqlite', 'postgres' })) {
                Measure-Run "$name warm" (@{ sqlite = $sqlite; postgres = $pg }[$name])
                $warmAll[$name].Add($last)
                if (-not $warm[$name] -or $last -lt $warm[$name]) { $warm[$name] = $last }
                if (-not $warmCpu[$name] -or $lastCpu -lt $warmCpu[$name]) { $warmCpu[$name] = $lastCpu }
            }
        }
        '  round {0}: PostgreSQL/SQLite cold {1:0.000}, warm {2:0.000}, warm CPU {3:0.000} (best of {4} each)' -f $round, ($coldPostgres / $coldSqlite), ($warm.postgres / $warm.sqlite), ($warmCpu.postgres / $warmCpu.sqlite), $WarmRuns
    }
    foreach ($kind in @(if ($Rounds -gt 0) { 'cold', 'warm' })) {
        '{0}: SQLite {1:0.00} s, PostgreSQL {2:0.00} s, PostgreSQL/SQLite {3:0.000}; CPU SQLite {4:0.00} s, PostgreSQL with its server {5:0.00} s, {6:0.000}' -f $kind, $best["sqlite $kind"], $best["postgres $kind"], ($best["postgres $kind"] / $best["sqlite $kind"]), $bestCpu["sqlite $kind"], $bestCpu["postgres $kind"], ($bestCpu["postgres $kind"] / $bestCpu["sqlite $kind"])
    }
    function Get-Median([double[]] $Values) {
        $sorted = @($Values | Sort-Object)
        if ($sorted.Count % 2) { $sorted[($sorted.Count - 1) / 2] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
    }
    if ($Rounds -gt 0) {
        'cold, median of the {0} rounds'' ratios: PostgreSQL/SQLite {1:0.000}' -f $coldRatios.Count, (Get-Median $coldRatios)
    }
    if ($Rounds -gt 0 -and $WarmRuns -gt 0) {
        $sqliteMedian = Get-Median $warmAll.sqlite
        $postgresMedian = Get-Median $warmAll.postgres
        'warm, median of {0} runs each: SQLite {1:0.000} s, PostgreSQL {2:0.000} s, PostgreSQL/SQLite {3:0.000}' -f $warmAll.sqlite.Count, $sqliteMedian, $postgresMedian, ($postgresMedian / $sqliteMedian)
    }
    "load after: $(Get-Load)"
}
finally {
    Remove-TestPostgres $server
    Remove-Item -LiteralPath $work -Recurse -Force
}
