#requires -Version 7.4
# build/ConvertTo-MamlHelp.ps1 on its own: the real docs compile to MAML that Get-Help can use, and malformed
# markdown fails the build with a message that names the file, the line and the problem.

BeforeAll {
    $converter = Join-Path $PSScriptRoot '../build/ConvertTo-MamlHelp.ps1'
    $docs = Join-Path $PSScriptRoot '../docs'

    # A small, valid command page; tests break one part of it at a time.
    $script:ValidPage = @'
---
external help file: FaceCluster.dll-Help.xml
Module Name: FaceCluster
online version:
schema: 2.0.0
---

# Get-Thing

## SYNOPSIS
Gets a thing.

## SYNTAX

```
Get-Thing [-Name] <String> [<CommonParameters>]
```

## DESCRIPTION
Gets the thing called -Name.

## EXAMPLES

### Example 1: Get one thing
```powershell
# A comment that must not be read as a heading
Get-Thing -Name a
```

Gets the thing a.

## PARAMETERS

### -Name
The name of the thing.

```yaml
Type: String
Parameter Sets: (All)
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### None

## OUTPUTS

### System.Object

## NOTES

## RELATED LINKS
'@

    function Invoke-Converter([string] $Page) {
        $in = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $in
        Set-Content -LiteralPath (Join-Path $in 'Get-Thing.md') -Value $Page
        & $converter -DocsPath $in -OutputPath (Join-Path $in 'en-US')
        Join-Path $in 'en-US'
    }
}

Describe 'ConvertTo-MamlHelp.ps1 on the module docs' {
    BeforeAll {
        $out = Join-Path $TestDrive 'module-en-US'
        & $converter -DocsPath $docs -OutputPath $out
        [xml] $script:maml = Get-Content -Raw (Join-Path $out 'FaceCluster.dll-Help.xml')
        $script:ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $script:about = Join-Path $out 'about_FaceCluster.help.txt'
    }

    It 'writes one MAML command per cmdlet page' {
        $maml.helpItems.schema | Should -Be 'maml'
        $names = $maml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object InnerText
        $names | Should -Be @('Export-FaceCluster', 'Get-FaceClusterCorrection', 'Get-FaceClusterMember', 'Get-FaceEncoding',
            'Get-FaceModelPack', 'Hide-FaceClusterMember', 'Import-FaceClusterCorrection', 'Install-FaceModelPack', 'Invoke-FaceCluster', 'Measure-FaceCluster',
            'Merge-FaceCluster', 'Move-FaceClusterMember', 'Optimize-FaceEncodingStore', 'Remove-FaceClusterMember', 'Rename-FaceCluster', 'Split-FaceCluster',
            'Undo-FaceClusterCorrection', 'Uninstall-FaceModelPack', 'Update-FaceModelPackCalibration')
    }

    It 'gives <_> a syntax item per parameter set, each with its parameters' -ForEach @('Get-FaceEncoding', 'Export-FaceCluster') {
        $items = $maml.SelectNodes("//command:command[command:details/command:name='$_']/command:syntax/command:syntaxItem", $ns)
        $items.Count | Should -Be 2
        $items[0].SelectNodes('command:parameter/maml:name', $ns).InnerText | Should -Contain 'Path'
        $items[1].SelectNodes('command:parameter/maml:name', $ns).InnerText | Should -Contain 'LiteralPath'
    }

    It 'carries the yaml attributes onto the parameter' {
        $literal = $maml.SelectSingleNode("//command:command[command:details/command:name='Get-FaceEncoding']/command:parameters/command:parameter[maml:name='LiteralPath']", $ns)
        $literal.required | Should -Be 'true'
        $literal.aliases | Should -Be 'PSPath, FullName'
        $literal.pipelineInput | Should -Be 'True (ByPropertyName)'
        $literal.position | Should -Be 'named'
        $literal.globbing | Should -Be 'false'
    }

    It 'writes the about topic as plain text' {
        $text = Get-Content -Raw $about
        $text | Should -Match '^TOPIC\n    about_FaceCluster\n'
        $text | Should -Match '\nSHORT DESCRIPTION\n'
        $text | Should -Not -Match '```'
        (Get-Content $about | Where-Object Length -GT 80) | Should -BeNullOrEmpty
    }
}

BeforeDiscovery {
    $f = '```'   # a code fence, kept out of double-quoted strings where backticks escape
}

Describe 'ConvertTo-MamlHelp.ps1 on malformed markdown' {
    It 'accepts the valid page and keeps a # comment inside code as code' {
        $out = Invoke-Converter $ValidPage
        [xml] $xml = Get-Content -Raw (Join-Path $out 'FaceCluster.dll-Help.xml')
        $xml.helpItems.command.examples.example.code | Should -Match '# A comment that must not be read as a heading'
    }

    It 'fails when <Case>' -ForEach @(
        @{ Case = 'SYNOPSIS is missing'; Find = "## SYNOPSIS`nGets a thing.`n"; Replace = ''; Message = 'SYNOPSIS is missing' }
        @{ Case = 'DESCRIPTION is empty'; Find = 'Gets the thing called -Name.'; Replace = ''; Message = 'DESCRIPTION is missing or empty' }
        @{ Case = 'a parameter has no yaml block'; Find = "${f}yaml"; Replace = "${f}text"; Message = '-Name has no *yaml block' }
        @{ Case = 'a parameter has no description'; Find = 'The name of the thing.'; Replace = ''; Message = '-Name has no description' }
        @{ Case = 'a yaml block lacks a key'; Find = "Position: 0`n"; Replace = ''; Message = "has no 'Position:'" }
        @{ Case = 'Required is not True or False'; Find = 'Required: True'; Replace = 'Required: Yes'; Message = "'Required' must be True or False" }
        @{ Case = 'an example has no code'; Find = "${f}powershell`n# A comment that must not be read as a heading`nGet-Thing -Name a`n$f"; Replace = ''; Message = "Example 'Example 1: Get one thing' has no code block" }
        @{ Case = 'there is no example'; Find = '### Example 1: Get one thing'; Replace = ''; Message = 'EXAMPLES has no ### example' }
        @{ Case = 'the heading is not the command name'; Find = '# Get-Thing'; Replace = '# Get-Other'; Message = "must be the command name 'Get-Thing'" }
        @{ Case = 'a code fence is never closed'; Find = "`n## RELATED LINKS"; Replace = "`n${f}powershell`n## RELATED LINKS"; Message = 'never closed' }
    ) {
        $page = $ValidPage.Replace("`r`n", "`n")
        $page.Contains($Find) | Should -BeTrue -Because 'the test must break the page it means to'
        { Invoke-Converter ($page.Replace($Find, $Replace)) } |
            Should -Throw "*Get-Thing.md:*$Message*"
    }

    It 'reports every problem at once' {
        $page = $ValidPage.Replace('Gets a thing.', '').Replace('The name of the thing.', '')
        $err = { Invoke-Converter $page } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'SYNOPSIS'
        $err.Exception.Message | Should -Match '-Name has no description'
    }
}
