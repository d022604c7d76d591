#requires -Version 7.4
<#
.SYNOPSIS
    The review page at scale: writes the pages of a synthetic export of -Count faces (bench/ReviewBench), prints
    their sizes, then opens the first people page, the largest person page and the first doubtful page in headless
    chromium (as the review page's tests do) and prints the median time to first paint and to the load event.

.EXAMPLE
    dotnet pwsh ./bench/review-page-bench.ps1 -Count 100000

.EXAMPLE
    dotnet pwsh ./bench/review-page-bench.ps1 -Count 1000000 -Runs 3 -KeepPages

    Opens the pages again that an earlier run wrote for as many faces (the writing of a million faces' pages takes
    minutes), writing them only where they are missing.
#>
param([int] $Count = 100000, [int] $Runs = 5, [switch] $KeepPages)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
. (Join-Path $root 'tests/BrowserSupport.ps1')

& dotnet restore (Join-Path $root 'build/Playwright.csproj') --nologo -v quiet | Out-Null
& dotnet build (Join-Path $root 'bench/ReviewBench') -c Release --nologo -v quiet | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'Building bench/ReviewBench failed.' }
$out = Join-Path ([IO.Path]::GetTempPath()) "facecluster-review-bench-$Count"
$keep = $KeepPages -and (Test-Path -LiteralPath (Join-Path $out 'index.html'))
if (-not $keep) { Remove-Item -Recurse -Force -LiteralPath $out -ErrorAction Ignore }
$cpu = (Get-Content /proc/cpuinfo -ErrorAction Ignore | Select-String -Pattern '^model name' | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$load = (Get-Content /proc/loadavg -ErrorAction Ignore) -replace '^(\S+ \S+ \S+).*', '$1'
Write-Host "# $([DateTime]::UtcNow.ToString('s'))Z, $([Environment]::ProcessorCount) cores, $cpu, load $load"
if ($keep) { Write-Host "pages of an earlier run kept in $out (-KeepPages)" }
else {
    & dotnet (Join-Path $root 'bench/ReviewBench/bin/Release/net10.0/ReviewBench.dll') $Count $out
    if ($LASTEXITCODE -ne 0) { throw 'ReviewBench failed.' }
}

$person = Get-ChildItem -LiteralPath (Join-Path $out 'review') -Filter 'person-*.html' | Sort-Object Length -Descending | Select-Object -First 1
$session = Start-Chromium
try {
    foreach ($file in (Join-Path $out 'index.html'), $person.FullName, (Join-Path $out 'review/doubtful.html')) {
        $times = foreach ($run in 1..$Runs) {
            $page = New-BrowserPage $session
            $null = Wait-Task ($page.GotoAsync((ConvertTo-FileUrl $file)))
            Invoke-PageJson $page @'
new Promise(done => {
    // Until the first contentful paint is recorded (a loaded machine may record it late), at most 10 s.
    const start = performance.now();
    (function check() {
        const paint = performance.getEntriesByName('first-contentful-paint')[0], nav = performance.getEntriesByType('navigation')[0];
        if ((paint && nav.loadEventEnd > 0) || performance.now() - start > 10000)
            done({ paint: paint ? paint.startTime : null, load: nav.loadEventEnd });
        else
            setTimeout(check, 50);
    })();
})
'@
            $null = Wait-Task ($page.CloseAsync())
        }
        $paint = @($times.paint | Sort-Object)[[int][Math]::Floor($Runs / 2)]
        $load = @($times.load | Sort-Object)[[int][Math]::Floor($Runs / 2)]
        '{0}: {1:N0} KB, first contentful paint {2:N0} ms, load event {3:N0} ms (median of {4})' -f
            [IO.Path]::GetRelativePath($out, $file), ((Get-Item -LiteralPath $file).Length / 1KB), $paint, $load, $Runs
    }
}
finally { Stop-Chromium $session }
