# Reproducible builds: the pinned SDK, NuGet and npm lock files without download addresses, and face-api's
# reference recorded from the harness as it is locked now.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Root = Split-Path -Parent $PSScriptRoot
    $script:Harness = Join-Path $Root 'tests/reference-harness'
}

Describe 'The build' {
    It 'runs on the SDK global.json pins (latest patch of its feature band)' {
        $pinned = (Get-Content -Raw -LiteralPath (Join-Path $Root 'global.json') | ConvertFrom-Json).sdk.version
        Push-Location $Root
        try { $running = & dotnet --version } finally { Pop-Location }
        # 10.0.401 allows 10.0.4xx: the same major, minor and first digit of the patch.
        $running.Substring(0, $running.Length - 2) | Should -Be $pinned.Substring(0, $pinned.Length - 2)
        [version] $running | Should -BeGreaterOrEqual ([version] $pinned)
    }

    It 'has a NuGet lock file beside every project of the solution' {
        $projects = Select-String -LiteralPath (Join-Path $Root 'FaceCluster.sln') -Pattern '"([^"]+\.csproj)"' |
            ForEach-Object { $_.Matches[0].Groups[1].Value -replace '\\', '/' }
        $projects.Count | Should -BeGreaterThan 3
        foreach ($project in $projects) {
            Join-Path $Root (Split-Path $project) 'packages.lock.json' | Test-Path | Should -BeTrue -Because "$project restores from its lock file"
        }
    }

    It 'records no download address in a lock file' {
        $nuget = @(Get-ChildItem -LiteralPath $Root -Recurse -File -Filter 'packages.lock.json' |
                Where-Object { $_.FullName -notmatch '[\\/](bin|obj|node_modules|artifacts)[\\/]' })
        $nuget.Count | Should -BeGreaterThan 3
        foreach ($file in $nuget) { Get-Content -Raw -LiteralPath $file.FullName | Should -Not -Match '://' -Because $file.FullName }
        # npm: every package pinned by version and integrity hash, none by download address ('resolved').
        $npm = Get-Content -Raw -LiteralPath (Join-Path $Harness 'package-lock.json') | ConvertFrom-Json -AsHashtable
        $packages = @($npm.packages.GetEnumerator() | Where-Object Key)
        $packages.Count | Should -BeGreaterThan 10
        foreach ($package in $packages) {
            $package.Value.Keys | Should -Not -Contain 'resolved' -Because $package.Key
            $package.Value.integrity | Should -Match '^sha512-' -Because $package.Key
        }
    }

    It 'recorded face-api''s reference from the harness as it is locked now' {
        $stamp = Join-Path $ModuleDirectory '../../reference/dlib/harness.sha256'
        Test-Path -LiteralPath $stamp | Should -BeTrue -Because 'build.ps1 -Task Test records the reference with the hashes of the harness it ran'
        $expected = Get-FileHash -Algorithm SHA256 -LiteralPath @('package.json', 'package-lock.json', 'record-reference.js' | ForEach-Object { Join-Path $Harness $_ }) |
            ForEach-Object { "$($_.Hash)  $(Split-Path -Leaf $_.Path)" }
        Get-Content -LiteralPath $stamp | Should -Be $expected
    }
}
