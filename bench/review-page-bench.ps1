#requires -Version 7.4
<#
.SYNOPSIS
    The review page at scale: writes the pages of a synthetic export of -Count faces (bench/ReviewBench), prints
    their sizes, then opens the first people page, the largest person page and the first doubtful page in headless
    chromium (as the review page's tests do) and prints the median time to first paint and to the load event.

.EXAMPLE
    dotnet pwsh ./bench/review-page-bench.ps1 -Count 100000
#>
param([int] $Count = 100000, [int] $Runs = 5)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
. (Join-Path $root 'tests/BrowserSupport.ps1')

& dotnet restore (Join-Path $root 'build/Playwright.csproj') --nologo -v quiet | Out-Null
& dotnet build (Join-Path $root 'bench/ReviewBench') -c Release --nologo -v quiet | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'Building bench/ReviewBench failed.' }
$out = Join-Path ([IO.Path]::GetTempPath()) "facecluster-review-bench-$Count"
Remove-Item -Recurse -Force -LiteralPath $out -ErrorAction Ignore
$cpu = (Get-Content /proc/cpuinfo -ErrorAction Ignore | Select-String -Pattern '^model name' | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$load = (Get-Content /proc/loadavg -ErrorAction Ignore) -replace '^(\S+ \S+ \S+).*', '$1'
Write-Host "# $([DateTime]::UtcNow.ToString('s'))Z, $([Environment]::ProcessorCount) cores, $cpu, load $load"
& dotnet (Join-Path $root 'bench/ReviewBench/bin/Release/net10.0/ReviewBench.dll') $Count $out
if ($LASTEXITCODE -ne 0) { throw 'ReviewBench failed.' }

$person = Get-ChildItem -LiteralPath (Join-Path $out 'review') -Filter 'person-*.html' | Sort-Object Length -Descending | Select-Object -First 1
$session = Start-Chromium
try {
    foreach ($file in (Join-Path $out 'index.html'), $person.FullName, (Join-Path $out 'review/doubtful.html')) {
        $times = foreach ($run in 1..$Runs) {
            $page = New-BrowserPage $session
            $null = Wait-Task ($page.GotoAsync((ConvertTo-FileUrl $file)))
            Invoke-PageJson $page @'
new Promise(done => setTimeout(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0], nav = performance.getEntriesByType('navigation')[0];
    done({ paint: paint ? paint.startTime : null, load: nav.loadEventEnd });
}, 100))
'@
            $null = Wait-Task ($page.CloseAsync())
        }
        $paint = ($times.paint | Sort-Object)[[int][Math]::Floor($Runs / 2)]
        $load = ($times.load | Sort-Object)[[int][Math]::Floor($Runs / 2)]
        '{0}: {1:N0} KB, first contentful paint {2:N0} ms, load event {3:N0} ms (median of {4})' -f
            [IO.Path]::GetRelativePath($out, $file), ((Get-Item -LiteralPath $file).Length / 1KB), $paint, $load, $Runs
    }
}
finally { Stop-Chromium $session }
