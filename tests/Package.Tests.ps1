# The package users install: build.ps1's .nupkg for this platform, published to a local file repository with
# Publish-PSResource, installed with Install-PSResource into a fresh module path and imported in a fresh pwsh.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    if (-not $env:FACECLUSTER_PACKAGE -or -not (Test-Path -LiteralPath $env:FACECLUSTER_PACKAGE)) {
        throw 'FACECLUSTER_PACKAGE does not name the package for this platform. Run the tests with: dotnet pwsh ./build.ps1 -Task Test'
    }
    $script:Package = $env:FACECLUSTER_PACKAGE
    $script:Rid = [FaceCluster.Loading.ModuleInitializer].Assembly.GetType('FaceCluster.Loading.NativeRuntimeId', $true).
        GetProperty('Current', [Reflection.BindingFlags] 'Static, NonPublic, Public').GetValue($null)

    # On Linux and macOS the child's HOME holds both PSResourceGet's repository list and the CurrentUser module path
    # (~/.local/share/powershell/Modules), so the install touches nothing outside TestDrive. Windows has no such
    # switch: there the module is saved with Save-PSResource into the fresh module path instead.
    $userHome = Join-Path $TestDrive 'home'
    $script:Modules = if ($IsWindows) { Join-Path $TestDrive 'Modules' } else { Join-Path $userHome '.local/share/powershell/Modules' }
    $repository = Join-Path $TestDrive 'repository'
    # ~/.config too: NuGet (inside PSResourceGet) keeps its settings there, and would write them under the current
    # folder were it missing.
    $null = New-Item -ItemType Directory -Path (Join-Path $userHome '.config'), $repository, $Modules -Force
    $installScript = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$name = 'FaceClusterTest' + [guid]::NewGuid().ToString('N')
Register-PSResourceRepository -Name `$name -Uri '$repository' -Trusted
try {
    Publish-PSResource -NupkgPath '$Package' -Repository `$name
    if (`$IsWindows) { Save-PSResource -Name FaceCluster -Repository `$name -Path '$Modules' -TrustRepository -Quiet }
    else { Install-PSResource -Name FaceCluster -Repository `$name -Scope CurrentUser -TrustRepository -Quiet }
}
finally { Unregister-PSResourceRepository -Name `$name }
"@
    $saved = $env:HOME, $env:XDG_DATA_HOME
    $env:HOME = $userHome
    $env:XDG_DATA_HOME = $null
    Push-Location $TestDrive
    try { $script:Install = Invoke-ChildPwsh $installScript } finally { $env:HOME, $env:XDG_DATA_HOME = $saved; Pop-Location }

    # A fresh pwsh that sees only the fresh module path (and PowerShell's own modules) imports the module by name.
    $out = Join-Path $TestDrive 'out'
    $runScript = @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$Modules' + [IO.Path]::PathSeparator + (Join-Path `$PSHOME 'Modules')
Import-Module FaceCluster
`$groups = @(Get-ChildItem -LiteralPath '$SamplesDirectory' -Filter *.jpg | Get-FaceEncoding | Invoke-FaceCluster)
`$groups | Export-FaceCluster -LiteralPath '$out'
@{ ModuleBase = (Get-Module FaceCluster).ModuleBase; Groups = @(`$groups | ForEach-Object { '{0}:{1}' -f `$_.Id, `$_.FaceCount }) } |
    ConvertTo-Json -Compress
"@
    $script:Run = Invoke-ChildPwsh $runScript
    $version = (Import-PowerShellDataFile -LiteralPath $env:FACECLUSTER_MODULE).ModuleVersion
    $script:Installed = Join-Path $Modules "FaceCluster/$version"
    $script:Out = $out
}

Describe 'The package' {
    It 'publishes to a local file repository and installs with PSResourceGet' {
        $Install.ExitCode | Should -Be 0 -Because $Install.Output
        Test-Path -LiteralPath (Join-Path $Installed 'FaceCluster.psd1') | Should -BeTrue -Because 'Install-PSResource puts the module in <module path>/FaceCluster/<version>'
    }

    It 'imports by name in a fresh pwsh from the fresh module path and runs the sample pipeline' {
        $Run.ExitCode | Should -Be 0 -Because $Run.Output
        $result = ($Run.Output -split '\r?\n' | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
        $result.ModuleBase | Should -Be $Installed
        # The same clusters as the module the build laid out.
        $expected = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding | Invoke-FaceCluster |
                ForEach-Object { '{0}:{1}' -f $_.Id, $_.FaceCount })
        $expected.Count | Should -BeGreaterThan 1
        $result.Groups | Should -Be $expected
        Test-Path -LiteralPath (Join-Path $Out 'faces.json') | Should -BeTrue
    }

    It 'holds the native libraries of this platform only' {
        $runtimes = @(Get-ChildItem -LiteralPath (Join-Path $Installed 'Dependencies/runtimes') -Directory | ForEach-Object Name)
        $os = ($Rid -split '-')[0]
        $runtimes | Should -Contain $Rid
        $runtimes | Where-Object { $_ -notin $Rid, $os, 'unix' } | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath (Join-Path $Installed 'Dependencies/runtimes') -Recurse -File -Include '*.pdb', '*.lib', '*.a' |
            Should -BeNullOrEmpty
    }

    It 'lists every model pack and library it ships with its licence' {
        $notice = Get-Content -Raw -LiteralPath (Join-Path $Installed 'THIRD-PARTY-NOTICES.md')
        $packs = Get-Content -Raw -LiteralPath (Join-Path $Installed 'models/packs.json') | ConvertFrom-Json
        foreach ($pack in $packs.packs) { $notice | Should -Match "\| $($pack.name) \|.*\| \S.* \|" }
        $deps = Get-Content -Raw -LiteralPath (Join-Path $Installed 'Dependencies/FaceCluster.Engine.deps.json') | ConvertFrom-Json -AsHashtable
        foreach ($library in $deps.libraries.Keys | Where-Object { $deps.libraries[$_].type -eq 'package' }) {
            $id, $version = $library -split '/'
            $notice | Should -Match "\| $([regex]::Escape($id)) \| $([regex]::Escape($version)) \| \S.* \|"
        }
        Test-Path -LiteralPath (Join-Path $Installed 'LICENSE') | Should -BeTrue
    }

    It 'carries the manifest fields a gallery shows' {
        $manifest = Test-ModuleManifest -Path (Join-Path $Installed 'FaceCluster.psd1') -ErrorAction Stop
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Tags | Should -Contain 'PSEdition_Core'
        foreach ($platform in 'Windows', 'Linux', 'MacOS') { $manifest.Tags | Should -Contain $platform }
    }

    It 'installs in under 150 MB' {
        $bytes = (Get-ChildItem -LiteralPath $Installed -Recurse -File | Measure-Object -Property Length -Sum).Sum
        Write-Host ('{0} package for {1}: {2:N1} MB, installed {3:N1} MB' -f (Split-Path -Leaf $Package), $Rid,
            ((Get-Item -LiteralPath $Package).Length / 1MB), ($bytes / 1MB))
        $bytes | Should -BeGreaterThan 0
        $bytes | Should -BeLessThan 150MB
    }
}
