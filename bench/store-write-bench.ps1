#requires -Version 7.4
<#
.SYNOPSIS
    What the encoding store itself costs a new photo, without decoding any: for -Count made-up photos (a 512-number
    vector a face, one face, every fifth two), the calls Get-FaceEncoding -Store makes for a photo it has not seen
    (the look-up by content and the claim, one call where the store has FindOrClaim; the save), one photo after another, into a fresh SQLite file and a fresh
    PostgreSQL database (a server the script starts on 127.0.0.1, tests/PostgresSupport.ps1), -Rounds times. Prints
    wall time, this process's CPU seconds, the server's, and how many thread-pool work items ran meanwhile (each
    one a wake-up of a pool thread: the store's calls are synchronous and need none), which the load does not blur.
.EXAMPLE
    dotnet pwsh ./bench/store-write-bench.ps1 -Count 1000 -Rounds 2
#>
param(
    [int] $Count = 1000,
    [int] $Rounds = 2,
    [string] $Module = (Join-Path $PSScriptRoot '../artifacts/module/FaceCluster/FaceCluster.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path -LiteralPath $Module)) { throw "Build first: dotnet pwsh ./build.ps1" }
. (Join-Path $PSScriptRoot '../tests/PostgresSupport.ps1')
Import-Module $Module

$server = Start-TestPostgres
$work = Join-Path ([IO.Path]::GetTempPath()) "store-write-bench-$([guid]::NewGuid().ToString('N'))"
$null = New-Item -ItemType Directory -Path $work
try {
    # The engine loads with the first store a cmdlet opens; its types are reached through its assembly.
    $null = Get-FaceEncoding -LiteralPath (Join-Path $work 'none.jpg') -Store (New-TestDatabase $server) -ErrorAction SilentlyContinue
    $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'FaceCluster.Engine' } | Select-Object -First 1
    function Get-StoreType([string] $Name) { $engine.GetType("FaceCluster.Engine.Store.$Name", $true) }

    $random = [Random]::new(1)
    $photos = foreach ($i in 1..$Count) {
        $key = [byte[]]::new(32)
        $random.NextBytes($key)
        $faces = [Array]::CreateInstance((Get-StoreType StoredFace), $(if ($i % 5 -eq 0) { 2 } else { 1 }))
        for ($f = 0; $f -lt $faces.Length; $f++) {
            $vector = [float[]]::new(512)
            for ($j = 0; $j -lt 512; $j++) { $vector[$j] = [float] ($random.NextDouble() - 0.5) }
            $landmarks = [FaceCluster.Model.FacePoint[]] @(foreach ($p in 0..4) { [FaceCluster.Model.FacePoint]::new($random.NextDouble(), $random.NextDouble()) })
            $faces[$f] = (Get-StoreType StoredFace)::new($f, [FaceCluster.Model.FaceBox]::new(1, 2, 30, 40), $landmarks, 0.9, $vector)
        }
        [pscustomobject]@{ Key = $key; Photo = (Get-StoreType StoredPhoto)::new($faces, 250, 250, $null, ''); Path = "/photos/$i.jpg" }
    }
    $stamp = (Get-StoreType PhotoFileStamp)::Of($Module)
    $me = [Diagnostics.Process]::GetCurrentProcess()
    "photos: $Count; load before: $((Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ')"
    for ($round = 1; $round -le $Rounds; $round++) {
        foreach ($kind in 'sqlite', 'postgres') {
            $store = if ($kind -eq 'postgres') { (Get-StoreType PostgresEncodingStore)::Open((New-TestDatabase $server), $null, $null) }
            else { (Get-StoreType EncodingStore)::Open((Join-Path $work "$round.db"), $null) }
            $settings = $store.SettingsId('store-write-bench')
            $server0 = Get-PostgresServerCpu $server
            $me.Refresh(); $cpu0 = $me.TotalProcessorTime
            $items0 = [Threading.ThreadPool]::CompletedWorkItemCount
            $clock = [Diagnostics.Stopwatch]::StartNew()
            foreach ($photo in $photos) {
                if ($store.PSObject.Methods['FindOrClaim']) {
                    # One call for both, as Get-FaceEncoding makes it where the store has it.
                    $found = $store.FindOrClaim($photo.Key, $settings, 512)
                    if ($null -ne $found.Item1 -or -not $found.Item2) { throw 'a new photo was found stored or claimed' }
                }
                else {
                    if ($null -ne $store.Find($photo.Key, $settings, 512)) { throw 'a new photo was found stored' }
                    if (-not $store.TryClaim($photo.Key, $settings)) { throw 'a new photo was claimed' }
                }
                $store.Save($photo.Key, $settings, $photo.Photo, $photo.Path, $stamp)
            }
            # What a store holds back is written, as Get-FaceEncoding's end writes it.
            if ($store.PSObject.Methods['Flush']) { $store.Flush() }
            $seconds = $clock.Elapsed.TotalSeconds
            $items = [Threading.ThreadPool]::CompletedWorkItemCount - $items0
            $me.Refresh(); $cpu = ($me.TotalProcessorTime - $cpu0).TotalSeconds
            $serverCpu = (Get-PostgresServerCpu $server) - $server0
            $store.Dispose()
            '{0} round {1}: {2:0.00} s, CPU {3:0.00} s + server {4:0.00} s, {5} thread-pool work items ({6:0.00} a photo)' -f $kind, $round, $seconds, $cpu, $serverCpu, $items, ($items / $Count)
        }
    }
    "load after: $((Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ')"
}
finally {
    Remove-TestPostgres $server
    Remove-Item -LiteralPath $work -Recurse -Force
}
