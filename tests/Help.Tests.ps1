#requires -Version 7.4
# Help and shape checks across every command of the BUILT module (as platyPS and PSReadLine's CheckHelp.ps1 do):
# a real synopsis, a description, examples with code, every parameter documented (and nothing documented that
# does not exist), [OutputType], -LiteralPath beside -Path, a docs/ page per command and the about topic.
# build.ps1 -Task Test sets FACECLUSTER_MODULE to artifacts/module/FaceCluster/FaceCluster.psd1.

BeforeDiscovery {
    if (-not $env:FACECLUSTER_MODULE) {
        throw 'FACECLUSTER_MODULE is not set. Run ./build.ps1 -Task Test, or build and set it to the built manifest (artifacts/module/FaceCluster/FaceCluster.psd1).'
    }
    if (-not (Test-Path -LiteralPath $env:FACECLUSTER_MODULE)) {
        throw "FACECLUSTER_MODULE is '$env:FACECLUSTER_MODULE', which does not exist. Run ./build.ps1 first."
    }
    $module = Import-Module -Name $env:FACECLUSTER_MODULE -Force -PassThru -ErrorAction Stop
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $commands = @($module.ExportedCommands.Values | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $parameters = @(foreach ($command in $module.ExportedCommands.Values | Sort-Object Name) {
            foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
                @{ Command = $command.Name; Parameter = $name }
            }
        })
    $docPages = @(Get-ChildItem -Path (Join-Path $PSScriptRoot '../docs') -Filter '*-*.md' | ForEach-Object { @{ Name = $_.BaseName } })
}

BeforeAll {
    Import-Module -Name $env:FACECLUSTER_MODULE -ErrorAction Stop
    $script:moduleName = (Import-PowerShellDataFile -LiteralPath $env:FACECLUSTER_MODULE).RootModule -replace '\.(dll|psm1)$'
    $script:exported = @((Get-Module -Name (Split-Path -LeafBase $env:FACECLUSTER_MODULE)).ExportedCommands.Keys)
}

Describe 'The built module' {
    It 'exports a command for docs/<Name>.md' -ForEach $docPages {
        $exported | Should -Contain $Name -Because "docs/$Name.md documents it and FaceCluster.psd1 should export it"
    }

    It 'has the about_FaceCluster topic' {
        $about = Get-Help -Name about_FaceCluster | Out-String
        $about | Should -Match 'about_FaceCluster'
        $about | Should -Match 'TUNING'
    }
}

Describe '<Name>' -ForEach $commands {
    BeforeAll {
        $command = Get-Command -Name $Name
        $help = Get-Help -Name $Name -Full
    }

    It 'has a docs/<Name>.md page' {
        Join-Path $PSScriptRoot "../docs/$Name.md" | Should -Exist
    }

    It 'has a synopsis that is not the generated syntax' {
        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
        "$($help.Synopsis)".Trim() | Should -Not -BeLike "$Name *" -Because 'Get-Help falls back to the syntax when the command has no help'
    }

    It 'has a description' {
        (@($help.description | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example, each with code' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) { "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code" }
    }

    It 'declares [OutputType]' {
        $command.OutputType.Count | Should -BeGreaterOrEqual 1
    }

    It 'has -LiteralPath wherever it has -Path' {
        if ($command.Parameters.ContainsKey('Path')) { $command.Parameters.Keys | Should -Contain 'LiteralPath' }
    }

    It 'documents no parameter that it does not have' {
        $documented = @($help.parameters.parameter | ForEach-Object name)
        foreach ($name in $documented) { $command.Parameters.Keys | Should -Contain $name -Because "the help documents -$name" }
    }
}

Describe '<Command> -<Parameter>' -ForEach $parameters {
    It 'is documented with a description' {
        $parameterHelp = @((Get-Help -Name $Command -Full).parameters.parameter | Where-Object name -EQ $Parameter)
        $parameterHelp.Count | Should -Be 1 -Because "docs/$Command.md should have a '### -$Parameter' section"
        (@($parameterHelp[0].description | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
    }
}
