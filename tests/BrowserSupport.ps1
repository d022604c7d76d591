# Dot-sourced by the review page's browser test and benchmark: Microsoft.Playwright (restored from NuGet by
# build/Playwright.csproj, never downloading a browser) driving the system's chromium headless.

function Wait-Task($Task) { $Task.GetAwaiter().GetResult() }

function Start-Chromium {
    # Loads Playwright from its NuGet package (the version build/Playwright.csproj restores, from the global packages
    # folder) and starts chromium (FACECLUSTER_CHROMIUM, else /usr/bin/chromium). Returns Playwright and the browser.
    [xml] $project = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../build/Playwright.csproj')
    $version = $project.Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
    $packages = (& dotnet nuget locals global-packages --list --force-english-output) -replace '^global-packages:\s*', ''
    $package = Join-Path $packages "microsoft.playwright/$version"
    $library = Join-Path $package 'lib/netstandard2.0/Microsoft.Playwright.dll'
    if (-not (Test-Path -LiteralPath $library)) {
        throw "Microsoft.Playwright is missing from '$package'. Run: dotnet restore build/Playwright.csproj (build.ps1 -Task Test does)."
    }
    Add-Type -LiteralPath $library
    $env:PLAYWRIGHT_DRIVER_SEARCH_PATH = $package   # the driver the package bundles, in its .playwright folder
    $env:PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'
    $options = [Microsoft.Playwright.BrowserTypeLaunchOptions]::new()
    $options.ExecutablePath = if ($env:FACECLUSTER_CHROMIUM) { $env:FACECLUSTER_CHROMIUM } else { '/usr/bin/chromium' }
    $options.Headless = $true
    $playwright = Wait-Task ([Microsoft.Playwright.Playwright]::CreateAsync())
    [pscustomobject]@{ Playwright = $playwright; Browser = Wait-Task ($playwright.Chromium.LaunchAsync($options)) }
}

function Stop-Chromium($Session) {
    if ($Session) {
        $null = Wait-Task ($Session.Browser.CloseAsync())
        $Session.Playwright.Dispose()
    }
}

function New-BrowserPage($Session, [int] $Width = 1280, [int] $Height = 900) {
    $options = [Microsoft.Playwright.BrowserNewPageOptions]::new()
    $options.ViewportSize = [Microsoft.Playwright.ViewportSize]@{ Width = $Width; Height = $Height }
    Wait-Task ($Session.Browser.NewPageAsync($options))
}

function ConvertTo-FileUrl([string] $Path) {
    # [uri] would read a '#' in a folder's name as the start of a fragment: encode each segment (not a drive).
    $segments = $Path.Replace('\', '/').TrimStart('/') -split '/' | ForEach-Object { if ($_ -match '^[A-Za-z]:$') { $_ } else { [uri]::EscapeDataString($_) } }
    'file:///' + ($segments -join '/')
}

function Invoke-PageJson($Page, [string] $Expression) {
    # Evaluates a JavaScript expression in the page and returns its value, through JSON.
    Wait-Task ($Page.EvaluateAsync[string]("async () => JSON.stringify(await ($Expression))", $null)) | ConvertFrom-Json
}
