#requires -Version 7.4
<#
.SYNOPSIS
    What telling "this photo is unchanged" costs a warm Get-FaceEncoding -Store rerun, per photo, over the photos of
    LFW (../shared/datasets/lfw-deepfunneled): the size and modification time .NET gives (FileInfo, the store's
    check before issue 19), the PhotoFileStamp the store checks now (size, modification and change time, device and
    inode, in one stat call), and the SHA-256 of the bytes (what reading every photo again would cost). Each is
    timed over every file, in rounds, alternating, so the machine's load weighs on all alike; the best round counts.
.EXAMPLE
    dotnet pwsh ./bench/store-identity-bench.ps1 -Rounds 5
#>
param(
    [int] $Rounds = 3,
    [string] $Lfw = (Join-Path $PSScriptRoot '../../shared/datasets/lfw-deepfunneled'),
    [string] $Module = (Join-Path $PSScriptRoot '../artifacts/module/FaceCluster/FaceCluster.psd1')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path -LiteralPath $Module)) { throw "Build first: dotnet pwsh ./build.ps1" }
if (-not (Test-Path -LiteralPath $Lfw)) { throw "LFW not found at $Lfw (-Lfw names it)." }
# The engine alone, outside the module's load context: the checks need nothing else.
$engine = Join-Path (Split-Path -Parent $Module) 'Dependencies/FaceCluster.Engine.dll'
Add-Type -LiteralPath $engine
Add-Type -IgnoreWarnings -CompilerOptions "/nowarn:1701" -ReferencedAssemblies $engine, System.Security.Cryptography -TypeDefinition @'
using System.Diagnostics;
using FaceCluster.Engine.Store;
public static class StoreIdentityBench
{
    // Seconds over every file, and a checksum so that no call can be left out.
    public static double[] Run(string[] files, string method)
    {
        long sum = 0;
        var clock = Stopwatch.StartNew();
        foreach (string file in files)
        {
            switch (method)
            {
                case "fileinfo":
                    var info = new System.IO.FileInfo(file);
                    sum += info.Length ^ info.LastWriteTimeUtc.Ticks;
                    break;
                case "stamp":
                    var stamp = PhotoFileStamp.Of(file).GetValueOrDefault();
                    sum += stamp.Size ^ stamp.Changed ^ stamp.FileId;
                    break;
                default:
                    sum += PhotoContentKey.Of(file)[0];
                    break;
            }
        }
        return new[] { clock.Elapsed.TotalSeconds, sum };
    }
}
'@
$files = [string[]] @(Get-ChildItem -LiteralPath $Lfw -Recurse -File -Filter *.jpg | ForEach-Object FullName | Sort-Object)
$bytes = ($files | ForEach-Object { [IO.FileInfo]::new($_).Length } | Measure-Object -Sum).Sum
$methods = [ordered]@{
    fileinfo = 'size + modification time (FileInfo; before)'
    stamp    = 'PhotoFileStamp: size, mtime, ctime, device, inode (now)'
    sha256   = 'SHA-256 of the bytes (PhotoContentKey)'
}
$best = @{}
foreach ($round in 1..$Rounds) {
    foreach ($method in $methods.Keys) {
        $seconds = [StoreIdentityBench]::Run($files, $method)[0]
        if (-not $best.ContainsKey($method) -or $seconds -lt $best[$method]) { $best[$method] = $seconds }
    }
}
$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'unknown' }
"{0:N0} photos, {1:N0} MB; best of {2} rounds; load average (1, 5, 15 min) at the end: {3}" -f $files.Count, ($bytes / 1MB), $Rounds, $load
$methods.Keys | ForEach-Object {
    [pscustomobject]@{
        Check = $methods[$_]; Seconds = [math]::Round($best[$_], 3)
        MicrosecondsPerPhoto = [math]::Round(1e6 * $best[$_] / $files.Count, 1)
    }
} | Format-Table -AutoSize | Out-String -Width 200
