# Every ```powershell example in README.md runs when pasted into a fresh pwsh that has the module installed.
# How each example is run:
#   - a fresh pwsh (Invoke-ChildPwsh) whose PSModulePath is the built module's folder and PowerShell's own modules,
#     so 'Import-Module FaceCluster' finds the module by name, as it finds an installed one; module autoloading
#     is off ($PSModuleAutoLoadingPreference = 'None', after importing PowerShell's own Management and Utility
#     modules), so an example that uses a FaceCluster cmdlet without importing the module first fails, as it fails
#     for a user who built the module but has not installed it;
#   - in README order, each in its own fresh pwsh but all in one folder under TestDrive, empty at first, as a
#     reader pastes them one after another in one folder (a later example may use the ./out an earlier one wrote);
#   - '~/Pictures' in an example's text is replaced by a quoted path to a copy of the sample photos, the only
#     change made to an example's text;
#   - it passes when the child exits 0 with nothing in $Error (a non-terminating error fails it too).
# The examples that cannot run here are listed in $LeftOut below, each with why; README.md says so beside each.

BeforeDiscovery {
    $readme = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../README.md')
    $script:Examples = @([regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object {
            @{ Code = $_.Groups[1].Value; Line = ($readme.Substring(0, $_.Index) -split '\n').Count; FirstLine = ($_.Groups[1].Value -split '\r?\n')[0] }
        })
    # The first line of each example left out, and why.
    $script:LeftOut = @{
        'Register-PSResourceRepository -Name FaceCluster -Uri \\server\share\FaceCluster\win-x64 -Trusted' =
        'it installs from a share (\\server\share) that no test machine has; tests/Package.Tests.ps1 runs the same Register-PSResourceRepository and Install-PSResource against a local file repository'
    }
    $script:Run = @($Examples | Where-Object { -not $LeftOut.ContainsKey($_.FirstLine) })
    $script:Skipped = @($Examples | Where-Object { $LeftOut.ContainsKey($_.FirstLine) } | ForEach-Object { $_ + @{ Why = $LeftOut[$_.FirstLine] } })
    $script:LeftOutFound = @($LeftOut.Keys | ForEach-Object { @{ FirstLine = $_; Count = @($Examples | Where-Object FirstLine -CEQ $_).Count } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Readme = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../README.md')
    $script:Pictures = Join-Path $TestDrive 'Pictures'
    $null = New-Item -ItemType Directory -Path $Pictures
    Get-ChildItem -LiteralPath $SamplesDirectory -File | Copy-Item -Destination $Pictures
    $script:ModulePath = (Split-Path -Parent $ModuleDirectory) + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')

    $script:Work = Join-Path $TestDrive 'work'
    $null = New-Item -ItemType Directory -Path $Work

    function Invoke-Example([string] $Code) {
        $quoted = "'" + ($Pictures -replace "'", "''") + "'"
        $prelude = "Import-Module Microsoft.PowerShell.Management, Microsoft.PowerShell.Utility; `$PSModuleAutoLoadingPreference = 'None'`n"
        $script = $prelude + $Code.Replace('~/Pictures', $quoted) + "`nif (`$Error.Count -gt 0) { `$Error | ForEach-Object { Write-Output `"ERROR: `$_`" }; exit 1 }`n"
        $saved = $env:PSModulePath
        $env:PSModulePath = $ModulePath
        Push-Location -LiteralPath $Work
        try { Invoke-ChildPwsh $script } finally { Pop-Location; $env:PSModulePath = $saved }
    }
}

Describe 'README.md' {
    It 'has examples to run (<Found> found, <ToRun> to run)' -ForEach @{ Found = $Examples.Count; ToRun = $Run.Count } {
        $Found | Should -BeGreaterThan 0
        $ToRun | Should -BeGreaterThan 0
    }

    It 'runs the example at line <Line> in a fresh pwsh with the module installed' -ForEach $Run {
        $result = Invoke-Example $Code
        $result.ExitCode | Should -Be 0 -Because $result.Output
        if ($Code -match '\./out\b') {
            Join-Path $Work 'out/index.html' | Should -Exist -Because 'an example that exports to ./out leaves its review page there'
        }
    }

    It 'says beside the example at line <Line> that the tests leave it out (<Why>)' -ForEach $Skipped {
        # The paragraph after the example tells the reader it is not run here.
        $after = $Readme.Substring($Readme.IndexOf($Code) + $Code.Length)
        ($after -split '\r?\n\r?\n', 3)[1] | Should -Match 'not run by the tests'
    }

    It 'still has the example the tests leave out that starts <FirstLine>' -ForEach $LeftOutFound {
        $Count | Should -Be 1 -Because 'a stale entry in $LeftOut would hide nothing and say something false'
    }
}
