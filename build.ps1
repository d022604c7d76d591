#requires -Version 7.4
<#
.SYNOPSIS
    Builds the FaceCluster module, fetches and verifies its model packs and sample photos, runs the demo or
    the tests.

.DESCRIPTION
    Build  - fetch the model packs and sample photos with 'npm pack NAME@VERSION' (checked against the SHA-256
             values in models/packs.json), compile the solution, compile docs/ into MAML help and lay the
             module out in artifacts/module/FaceCluster.
    Demo   - Build, then cluster the sample photos into ./out, print the clusters and where the review page is.
    Test   - Build, then run the xunit tests (the clustering ones again with AVX2, then all hardware intrinsics,
             switched off) and the Pester tests and print one line 'N passed, N failed'.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Demo', 'Test')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$ModuleDir = Join-Path $Artifacts 'module/FaceCluster'
$SamplesDir = Join-Path $Artifacts 'samples'
$CacheDir = Join-Path $Root '.cache/npm'
$Chromium = if ($env:FACECLUSTER_CHROMIUM) { $env:FACECLUSTER_CHROMIUM } else { '/usr/bin/chromium' }
$ConvertDir = Join-Path $Root '.cache/convert'
$Manifest = Get-Content -Raw (Join-Path $Root 'models/packs.json') | ConvertFrom-Json

# A fresh PowerShell for the demo and the tests. Run as a dotnet tool, pwsh is 'dotnet pwsh.dll'.
$PwshCommand = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
    @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'))
} else { @([Environment]::ProcessPath) }

function Invoke-Pwsh {
    param([string] $Script)
    $prefix = @($PwshCommand | Select-Object -Skip 1)
    & $PwshCommand[0] @prefix -NoProfile -NonInteractive -Command $Script
}

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Test-Sha256 {
    param([string] $Path, [string] $Expected)
    (Test-Path -LiteralPath $Path) -and ((Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash -eq $Expected.ToUpperInvariant())
}

function Get-VerifiedTarball {
    # Fetches NAME@VERSION with 'npm pack' into the cache (once) and refuses a tarball whose SHA-256 differs.
    param([string] $Package, [string] $Version, [string] $Sha256)
    $null = New-Item -ItemType Directory -Force -Path $CacheDir
    $file = Join-Path $CacheDir (($Package -replace '^@', '' -replace '/', '-') + "-$Version.tgz")
    if (-not (Test-Sha256 $file $Sha256)) {
        Write-Host "Fetching $Package@$Version with npm pack"
        Push-Location $CacheDir
        try { Invoke-Native npm @('pack', "$Package@$Version", '--silent') | Out-Null } finally { Pop-Location }
        if (-not (Test-Sha256 $file $Sha256)) {
            $actual = if (Test-Path $file) { (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash } else { 'missing' }
            Remove-Item -LiteralPath $file -ErrorAction Ignore
            throw "$Package@$Version does not match models/packs.json (expected SHA-256 $Sha256, got $actual). Refusing it."
        }
    }
    return $file
}

function Expand-VerifiedFiles {
    # Extracts the named files of a verified tarball into $Destination, checking each file's SHA-256.
    param([string] $Tarball, [object[]] $Files, [string] $Destination)
    $null = New-Item -ItemType Directory -Force -Path $Destination
    $stale = @($Files | Where-Object { -not (Test-Sha256 (Join-Path $Destination $_.name) $_.sha256) })
    if ($stale.Count -eq 0) { return }
    $scratch = Join-Path ([IO.Path]::GetTempPath()) ("facecluster-" + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $scratch
    try {
        Invoke-Native tar (@('-xzf', $Tarball, '-C', $scratch) + @($stale.source))
        foreach ($file in $stale) {
            $extracted = Join-Path $scratch $file.source
            if (-not (Test-Sha256 $extracted $file.sha256)) { throw "$($file.source) in $Tarball does not match its SHA-256 in models/packs.json." }
            Copy-Item -LiteralPath $extracted -Destination (Join-Path $Destination $file.name) -Force
        }
    }
    finally { Remove-Item -Recurse -Force -LiteralPath $scratch -ErrorAction Ignore }
}

function Invoke-FetchModels {
    foreach ($pack in $Manifest.packs) {
        if (-not $pack.PSObject.Properties['package']) { continue }
        $tarball = Get-VerifiedTarball $pack.package $pack.version $pack.tarballSha256
        Expand-VerifiedFiles $tarball $pack.files (Join-Path $ModuleDir "models/$($pack.name)")
    }
    # Packs built from another format ('source'): only their source files are fetched here; Invoke-ConvertModels
    # turns them into the pack's converted file once the converter is compiled.
    foreach ($pack in $Manifest.packs) {
        if (-not $pack.PSObject.Properties['source']) { continue }
        $source = $pack.source
        $tarball = Get-VerifiedTarball $source.package $source.version $source.tarballSha256
        Expand-VerifiedFiles $tarball $source.files (Join-Path $ConvertDir $pack.name)
    }
    $samples = $Manifest.samples
    $tarball = Get-VerifiedTarball $samples.package $samples.version $samples.tarballSha256
    Expand-VerifiedFiles $tarball $samples.files $SamplesDir
    Copy-Item -LiteralPath (Join-Path $Root 'models/packs.json') -Destination (Join-Path $ModuleDir 'models/packs.json') -Force
}

function Invoke-Compile {
    Invoke-Native dotnet @('build', (Join-Path $Root 'FaceCluster.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    # The engine and everything it needs go to Dependencies/, loaded into the module's own load context.
    $deps = Join-Path $ModuleDir 'Dependencies'
    Remove-Item -Recurse -Force -LiteralPath $deps -ErrorAction Ignore
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/FaceCluster.Engine/FaceCluster.Engine.csproj'), '-c', $Configuration,
        '--no-build', '--nologo', '-v', 'quiet', '-o', $deps)
    # The cmdlets and the records in their signatures load into PowerShell's default context.
    $bin = Join-Path $Root "src/FaceCluster/bin/$Configuration/net8.0"
    foreach ($assembly in 'FaceCluster.dll', 'FaceCluster.Model.dll') {
        Copy-Item -LiteralPath (Join-Path $bin $assembly) -Destination $ModuleDir -Force
    }
    Get-ChildItem -LiteralPath $deps -Filter 'FaceCluster.Model.*' | Remove-Item
    Copy-Item -LiteralPath (Join-Path $Root 'FaceCluster.psd1') -Destination $ModuleDir -Force
    foreach ($file in 'FaceCluster.Format.ps1xml', 'FaceCluster.Types.ps1xml') {
        Copy-Item -LiteralPath (Join-Path $Root "src/FaceCluster/$file") -Destination $ModuleDir -Force
    }
}

function Invoke-ConvertModels {
    # Converts each 'converted' file of a 'source' pack (face-api's network 'tfjsModel') with FaceCluster.ModelConverter,
    # unless it is already there with the SHA-256 in models/packs.json. The converter is deterministic and refuses
    # (deletes) an output that differs.
    $converter = Join-Path $Root "src/FaceCluster.ModelConverter/bin/$Configuration/net10.0/FaceCluster.ModelConverter.dll"
    foreach ($pack in $Manifest.packs) {
        if (-not $pack.PSObject.Properties['source']) { continue }
        foreach ($file in @($pack.files | Where-Object { $_.PSObject.Properties['converted'] -and $_.converted })) {
            $target = Join-Path $ModuleDir "models/$($pack.name)/$($file.name)"
            if (Test-Sha256 $target $file.sha256) { continue }
            Write-Host "Converting the $($pack.name) pack's $($file.role) model from $($pack.source.package)@$($pack.source.version)"
            $null = New-Item -ItemType Directory -Force -Path (Split-Path $target)
            Invoke-Native dotnet @($converter, '--tfjs', (Join-Path $ConvertDir $pack.name), '--model', $file.tfjsModel, '--out', $target, '--sha256', $file.sha256)
        }
    }
}

function Invoke-CompileHelp {
    & (Join-Path $Root 'build/ConvertTo-MamlHelp.ps1') -DocsPath (Join-Path $Root 'docs') -OutputPath (Join-Path $ModuleDir 'en-US')
}

function Assert-OneVersion {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $assemblyVersion = $props.Project.PropertyGroup.Version | Select-Object -First 1
    $moduleVersion = (Import-PowerShellDataFile (Join-Path $Root 'FaceCluster.psd1')).ModuleVersion
    if ($assemblyVersion -ne $moduleVersion) {
        throw "Directory.Build.props says version $assemblyVersion but FaceCluster.psd1 says ${moduleVersion}: keep them equal."
    }
}

function Invoke-Build {
    Assert-OneVersion
    $null = New-Item -ItemType Directory -Force -Path $ModuleDir
    Invoke-FetchModels
    Invoke-Compile
    Invoke-ConvertModels
    Invoke-CompileHelp
    Write-Host "Module laid out in $ModuleDir"
}

function Invoke-Demo {
    $out = Join-Path (Get-Location) 'out'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleDir/FaceCluster.psd1'
`$clusters = Get-ChildItem -LiteralPath '$SamplesDir' -File -Include *.jpg, *.jpeg, *.png -Recurse |
    Get-FaceEncoding | Invoke-FaceCluster
`$clusters | Export-FaceCluster -LiteralPath '$out' -Force
`$clusters | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
Write-Host "Exported to $out"
Write-Host "Review the people: open $(Join-Path $out 'index.html') in a browser"
"@
    Invoke-Pwsh $script
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-ReferenceHarness {
    # face-api itself under Node.js (tests/reference-harness, versions pinned): records the chips and descriptors
    # that the dlib pack's parity tests compare against. Recorded once; delete artifacts/reference to record again.
    $reference = Join-Path $Artifacts 'reference/dlib'
    if (Test-Path -LiteralPath (Join-Path $reference 'reference.json')) { return }
    $harness = Join-Path $Root 'tests/reference-harness'
    Push-Location $harness
    try {
        Invoke-Native npm @('install', '--no-audit', '--no-fund', '--silent')
        Invoke-Native node @('record-reference.js', '--out', $reference)
    }
    finally { Pop-Location }
}

function Assert-TestPrerequisites {
    # The parity tests run scikit-learn and SciPy as oracles, the review page's tests a real chromium: say so once,
    # before anything runs, rather than fail them one by one.
    $python = '/usr/bin/python3'
    $ok = (Test-Path -LiteralPath $python) -and $(& $python -c 'import sklearn, scipy' 2>$null; $LASTEXITCODE -eq 0)
    if (-not $ok) {
        throw "The tests need Python 3 with scikit-learn and SciPy at $python (Debian: apt-get install python3-sklearn); see README.md, Set-up."
    }
    if (-not (Test-Path -LiteralPath $Chromium)) {
        throw "The tests need chromium at $Chromium to open the review page (Debian: apt-get install chromium; or set FACECLUSTER_CHROMIUM); see README.md, Set-up."
    }
    # The HEIC tests encode their photos with libheif's heif-enc (Magick.NET decodes HEIC but cannot encode it).
    if (-not (Get-Command heif-enc -CommandType Application -ErrorAction Ignore)) {
        throw "The tests need heif-enc on PATH (Debian: apt-get install libheif-examples); see README.md, Set-up."
    }
}

function Invoke-Xunit([string] $Results, [string] $Name, [string[]] $Arguments) {
    # Runs the engine's xunit tests and counts them from the trx log; a run that writes no log counts one failure.
    & dotnet test (Join-Path $Root 'tests/FaceCluster.Engine.Tests/FaceCluster.Engine.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger "trx;LogFileName=$Name.trx" --results-directory $Results @Arguments | Out-Host
    $exit = $LASTEXITCODE
    $trx = Join-Path $Results "$Name.trx"
    if (-not (Test-Path $trx)) { return @{ Passed = 0; Failed = [int] ($exit -ne 0) } }
    [xml] $doc = Get-Content -Raw $trx
    $counters = $doc.TestRun.ResultSummary.Counters
    @{
        Passed = [int] $counters.passed
        Failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
}

function Invoke-Test {
    Invoke-ReferenceHarness
    $results = Join-Path $Artifacts 'test-results'
    Remove-Item -Recurse -Force -LiteralPath $results -ErrorAction Ignore
    $null = New-Item -ItemType Directory -Force -Path $results

    # xunit: the engine, against the models and samples the build fetched.
    $env:FACECLUSTER_MODELS = Join-Path $ModuleDir 'models'
    $env:FACECLUSTER_SAMPLES = $SamplesDir
    $xunit = Invoke-Xunit $results 'engine' @()
    $xunitPassed = $xunit.Passed; $xunitFailed = $xunit.Failed

    # The clustering tests again on the narrower kernel paths, in child processes with the wider instruction sets
    # switched off (as ImageSharp's FeatureTestRunner does); FACECLUSTER_KERNEL_PATH names the path they must take.
    foreach ($path in @(
            @{ Name = 'Vector128'; Switch = 'DOTNET_EnableAVX2' },
            @{ Name = 'Scalar'; Switch = 'DOTNET_EnableHWIntrinsic' })) {
        Set-Item "env:$($path.Switch)" '0'
        $env:FACECLUSTER_KERNEL_PATH = $path.Name
        try { $run = Invoke-Xunit $results "clustering-$($path.Name)" @('--filter', 'FullyQualifiedName~Clustering') }
        finally { Remove-Item "env:$($path.Switch)", env:FACECLUSTER_KERNEL_PATH }
        Write-Host "xunit, clustering on the $($path.Name) path: $($run.Passed) passed, $($run.Failed) failed"
        $xunitPassed += $run.Passed
        $xunitFailed += $run.Failed + $(if ($run.Passed -eq 0) { 1 } else { 0 })
    }

    # Pester: the built module, in a fresh pwsh so nothing from this session leaks in.
    # Pester and Playwright (for the review page's browser tests) come from NuGet into the global packages folder.
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/Pester.csproj'), '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/Playwright.csproj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path (& dotnet nuget locals global-packages --list --force-english-output | ForEach-Object { $_ -replace '^global-packages:\s*', '' }) 'pester/5.7.1/tools/Pester.psd1'
    $pesterJson = Join-Path $results 'pester.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$config = New-PesterConfiguration
`$config.Run.Path = '$Root/tests'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$results/pester.xml'
`$env:FACECLUSTER_MODULE = '$ModuleDir/FaceCluster.psd1'
`$env:FACECLUSTER_CHROMIUM = '$Chromium'
`$run = Invoke-Pester -Configuration `$config
@{ passed = `$run.PassedCount; failed = `$run.FailedCount + `$run.FailedBlocksCount + `$run.FailedContainersCount } | ConvertTo-Json | Set-Content '$pesterJson'
"@
    Invoke-Pwsh $script
    $pesterPassed = 0; $pesterFailed = 1
    if (Test-Path $pesterJson) {
        $counts = Get-Content -Raw $pesterJson | ConvertFrom-Json
        $pesterPassed = [int] $counts.passed; $pesterFailed = [int] $counts.failed
    }

    $passed = $xunitPassed + $pesterPassed
    $failed = $xunitFailed + $pesterFailed
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $pesterPassed passed, $pesterFailed failed"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

if ($Task -eq 'Test') { Assert-TestPrerequisites }
Invoke-Build
switch ($Task) {
    'Demo' { Invoke-Demo }
    'Test' { Invoke-Test }
}
