#requires -Version 7.4
<#
.SYNOPSIS
    Compiles the help markdown in docs/ (platyPS 0.14 schema) into MAML command help and about-topic text.

.DESCRIPTION
    platyPS is not available to the build, so this script does the part of New-ExternalHelp that FaceCluster
    needs:

      docs/<Verb-Noun>.md  ->  <OutputPath>/FaceCluster.dll-Help.xml   (one MAML file, every command)
      docs/about_<X>.md    ->  <OutputPath>/about_<X>.help.txt         (plain text, 80 columns)

    The MAML is written with System.Xml.XmlWriter. Malformed docs fail the build: every problem found (missing
    SYNOPSIS or DESCRIPTION, no example, an example without code, a parameter without its yaml block or
    description, an unclosed code fence, ...) is reported as 'file:line: message' and the script throws.

.EXAMPLE
    ./build/ConvertTo-MamlHelp.ps1 -DocsPath ./docs -OutputPath ./artifacts/module/FaceCluster/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [string] $HelpFileName = 'FaceCluster.dll-Help.xml'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Maml = 'http://schemas.microsoft.com/maml/2004/10'
$Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$Dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$RequiredYamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters'

$script:Problems = [System.Collections.Generic.List[string]]::new()
function Add-Problem([string] $File, [int] $Line, [string] $Message) {
    $script:Problems.Add("$([IO.Path]::GetFileName($File)):$($Line): $Message")
}

# ---------------------------------------------------------------------------------------------- markdown

function Read-HelpMarkdown([string] $File) {
    # Splits a file into front matter and a flat list of blocks: Heading (Level, Text), Code (Lang, Text), Text
    # (Lines). Code fences are honoured, so '# comment' inside a code block is never read as a heading.
    $lines = [IO.File]::ReadAllLines($File)
    $front = [ordered]@{}
    $i = 0
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        for ($i = 1; $i -lt $lines.Count -and $lines[$i].Trim() -ne '---'; $i++) {
            if ($lines[$i] -match '^([^:]+):\s*(.*)$') { $front[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        if ($i -ge $lines.Count) { Add-Problem $File 1 'The YAML front matter is not closed with ---.' }
        $i++
    }

    $blocks = [System.Collections.Generic.List[object]]::new()
    $para = [System.Collections.Generic.List[string]]::new()
    $paraLine = 0
    for (; $i -le $lines.Count; $i++) {
        $line = if ($i -lt $lines.Count) { $lines[$i] } else { '' }
        $isFence = $line -match '^\s*(```+|~~~+)\s*([\w-]*)\s*$'
        $isHeading = $line -match '^(#{1,6})\s+(.*?)\s*$'
        if ($para.Count -gt 0 -and ($isFence -or $isHeading -or $line.Trim() -eq '' -or $i -eq $lines.Count)) {
            $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $paraLine; Lines = $para.ToArray() })
            $para.Clear()
        }
        if ($i -eq $lines.Count) { break }

        if ($line -match '^\s*(```+|~~~+)\s*([\w-]*)\s*$') {
            $fence = $Matches[1]; $lang = $Matches[2]; $start = $i + 1
            $code = [System.Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i].Trim() -ne $fence; $i++) { $code.Add($lines[$i]) }
            if ($i -ge $lines.Count) { Add-Problem $File $start 'This code block is never closed.' }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Line = $start; Lang = $lang; Text = ($code -join "`n").TrimEnd() })
        }
        elseif ($line -match '^(#{1,6})\s+(.*?)\s*$') {
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Line = $i + 1; Level = $Matches[1].Length; Text = $Matches[2] })
        }
        elseif ($line.Trim() -ne '') {
            if ($para.Count -eq 0) { $paraLine = $i + 1 }
            $para.Add($line)
        }
    }
    [pscustomobject]@{ File = $File; Front = $front; Blocks = $blocks.ToArray() }
}

function Split-Section([object[]] $Blocks, [int] $Level) {
    # Groups blocks under each heading of $Level: @{ Title; Line; Blocks }. Blocks before the first heading are
    # returned under the title ''.
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = ''; Line = 0; Blocks = [System.Collections.Generic.List[object]]::new() }
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading' -and $block.Level -eq $Level) {
            $sections.Add($current)
            $current = [pscustomobject]@{ Title = $block.Text; Line = $block.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
        }
        else { $current.Blocks.Add($block) }
    }
    $sections.Add($current)
    $sections.ToArray()
}

function ConvertFrom-Inline([string] $Text) {
    # Markdown inline markup the console cannot show: links keep their text, bold and code marks go.
    $Text = $Text -replace '\[([^\]]+)\]\([^)]*\)', '$1' -replace '\*\*', '' -replace '`', ''
    $Text -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1'
}

function Get-Paragraph([object[]] $Blocks) {
    # Text blocks become paragraphs (lines joined); each list item becomes its own paragraph; code stays as is.
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Code') { $block.Text; continue }
        if ($block.Kind -ne 'Text') { continue }
        $item = $null
        foreach ($line in $block.Lines) {
            if ($line -match '^\s*([-*+]|\d+\.)\s+') {
                if ($null -ne $item) { ConvertFrom-Inline $item }
                $item = $line.Trim()
            }
            else { $item = if ($null -eq $item) { $line.Trim() } else { "$item $($line.Trim())" } }
        }
        if ($null -ne $item) { ConvertFrom-Inline $item }
    }
}

function Get-Section([object] $Doc, [object[]] $Sections, [string] $Title, [switch] $Required) {
    $section = $Sections | Where-Object Title -EQ $Title | Select-Object -First 1
    if ($Required -and -not ($section -and (Get-Paragraph $section.Blocks))) {
        Add-Problem $Doc.File $(if ($section) { $section.Line } else { 1 }) "## $Title is missing or empty."
    }
    if ($section) { $section } else { [pscustomobject]@{ Title = $Title; Line = 1; Blocks = @() } }
}

# ---------------------------------------------------------------------------------------------- model

function ConvertFrom-ParameterYaml([object] $Doc, [object] $Code, [string] $Name) {
    $values = @{}
    foreach ($line in $Code.Text -split "`n") {
        if ($line -match '^([^:]+):\s*(.*)$') { $values[$Matches[1].Trim()] = $Matches[2].Trim() }
    }
    foreach ($key in $RequiredYamlKeys) {
        if (-not $values.ContainsKey($key)) { Add-Problem $Doc.File $Code.Line "-$Name's yaml block has no '${key}:'." }
    }
    foreach ($key in 'Required', 'Accept wildcard characters') {
        if ($values.ContainsKey($key) -and $values[$key] -notin 'True', 'False') {
            Add-Problem $Doc.File $Code.Line "-$Name's '$key' must be True or False, not '$($values[$key])'."
        }
    }
    if ($values.ContainsKey('Position') -and $values['Position'] -notmatch '^(Named|\d+)$') {
        Add-Problem $Doc.File $Code.Line "-$Name's Position must be Named or a number, not '$($values['Position'])'."
    }
    $get = { param($key, $default) if ($values.ContainsKey($key) -and $values[$key]) { $values[$key] } else { $default } }
    [pscustomobject]@{
        Type       = & $get 'Type' 'Object'
        Sets       = @((& $get 'Parameter Sets' '(All)') -split ',' | ForEach-Object Trim)
        Aliases    = & $get 'Aliases' 'None'
        Required   = (& $get 'Required' 'False') -eq 'True'
        Position   = (& $get 'Position' 'Named').ToLowerInvariant()
        Default    = & $get 'Default value' 'None'
        Pipeline   = & $get 'Accept pipeline input' 'False'
        Globbing   = (& $get 'Accept wildcard characters' 'False') -eq 'True'
        Accepted   = @((& $get 'Accepted values' '') -split ',' | ForEach-Object Trim | Where-Object { $_ })
    }
}

function ConvertFrom-CommandMarkdown([object] $Doc) {
    $top = Split-Section $Doc.Blocks 1
    $name = [IO.Path]::GetFileNameWithoutExtension($Doc.File)
    if ($top.Count -lt 2 -or $top[1].Title -ne $name) {
        Add-Problem $Doc.File 1 "The first '# ' heading must be the command name '$name'."
    }
    $sections = Split-Section @($top | ForEach-Object Blocks) 2

    $synopsis = Get-Section $Doc $sections 'SYNOPSIS' -Required
    $description = Get-Section $Doc $sections 'DESCRIPTION' -Required
    $syntax = Get-Section $Doc $sections 'SYNTAX'
    $setNames = @(Split-Section $syntax.Blocks 3 | Where-Object Title | ForEach-Object { $_.Title -replace '\s*\(Default\)$' })
    if (-not ($syntax.Blocks | Where-Object Kind -EQ 'Code')) {
        Add-Problem $Doc.File $syntax.Line '## SYNTAX needs a code block per parameter set.'
    }

    $examples = foreach ($ex in Split-Section (Get-Section $Doc $sections 'EXAMPLES').Blocks 3 | Where-Object Title) {
        $code = @($ex.Blocks | Where-Object Kind -EQ 'Code')
        if ($code.Count -eq 0) { Add-Problem $Doc.File $ex.Line "Example '$($ex.Title)' has no code block." }
        [pscustomobject]@{
            Title   = $ex.Title
            Code    = (@($code | ForEach-Object Text) -join "`n`n")
            Remarks = @(Get-Paragraph @($ex.Blocks | Where-Object Kind -EQ 'Text'))
        }
    }
    if (-not $examples) { Add-Problem $Doc.File 1 '## EXAMPLES has no ### example.' }

    $parameters = foreach ($p in Split-Section (Get-Section $Doc $sections 'PARAMETERS').Blocks 3 | Where-Object Title) {
        if ($p.Title -eq 'CommonParameters') { continue }
        if ($p.Title -notmatch '^-(\w+)$') { Add-Problem $Doc.File $p.Line "Parameter heading '$($p.Title)' must read '### -Name'."; continue }
        $pName = $Matches[1]
        $yaml = @($p.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Lang -eq 'yaml' })
        $text = @(Get-Paragraph @($p.Blocks | Where-Object Kind -EQ 'Text'))
        if ($yaml.Count -eq 0) { Add-Problem $Doc.File $p.Line "-$pName has no ``````yaml block."; continue }
        if ($text.Count -eq 0) { Add-Problem $Doc.File $p.Line "-$pName has no description." }
        [pscustomobject]@{
            Name        = $pName
            Description = $text
            Variants    = @($yaml | ForEach-Object { ConvertFrom-ParameterYaml $Doc $_ $pName })
        }
    }

    $typeList = {
        param($title)
        foreach ($t in Split-Section (Get-Section $Doc $sections $title).Blocks 3 | Where-Object Title) {
            [pscustomobject]@{ Type = $t.Title; Description = @(Get-Paragraph $t.Blocks) }
        }
    }
    $links = @(
        if ($Doc.Front['online version']) { [pscustomobject]@{ Text = 'Online Version:'; Uri = $Doc.Front['online version'] } }
        foreach ($line in (Get-Section $Doc $sections 'RELATED LINKS').Blocks | Where-Object Kind -EQ 'Text' | ForEach-Object Lines) {
            if ($line -match '\[([^\]]+)\]\(([^)]*)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
            elseif ($line.Trim()) { [pscustomobject]@{ Text = (ConvertFrom-Inline $line.Trim('-* ')); Uri = '' } }
        })

    [pscustomobject]@{
        Name        = $name
        Synopsis    = @(Get-Paragraph $synopsis.Blocks)
        Description = @(Get-Paragraph $description.Blocks)
        SetNames    = $(if ($setNames) { $setNames } else { @('__AllParameterSets') })
        Parameters  = @($parameters)
        Examples    = @($examples)
        Inputs      = @(& $typeList 'INPUTS')
        Outputs     = @(& $typeList 'OUTPUTS')
        Notes       = @(Get-Paragraph (Get-Section $Doc $sections 'NOTES').Blocks)
        Links       = $links
    }
}

# ---------------------------------------------------------------------------------------------- MAML

function Write-Para([System.Xml.XmlWriter] $W, [string[]] $Paragraphs, [string] $Element = 'description') {
    $W.WriteStartElement('maml', $Element, $Maml)
    foreach ($para in $Paragraphs) { $W.WriteElementString('maml', 'para', $Maml, $para) }
    $W.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $W, [object] $P, [object] $V) {
    $W.WriteStartElement('command', 'parameter', $Command)
    $W.WriteAttributeString('required', $V.Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', $V.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $V.Pipeline)
    $W.WriteAttributeString('position', $V.Position)
    $W.WriteAttributeString('aliases', $(if ($V.Aliases -eq 'None') { 'none' } else { $V.Aliases }))
    $W.WriteElementString('maml', 'name', $Maml, $P.Name)
    Write-Para $W $P.Description
    $isSwitch = $V.Type -eq 'SwitchParameter'
    if ($V.Accepted) {
        $W.WriteStartElement('command', 'parameterValueGroup', $Command)
        foreach ($value in $V.Accepted) {
            $W.WriteStartElement('command', 'parameterValue', $Command)
            $W.WriteAttributeString('required', 'false'); $W.WriteAttributeString('command', 'variableLength', $Command, 'false')
            $W.WriteString($value); $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not $isSwitch) {
        $W.WriteStartElement('command', 'parameterValue', $Command)
        $W.WriteAttributeString('required', 'true'); $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString($V.Type); $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $Dev)
    $W.WriteElementString('maml', 'name', $Maml, $V.Type); $W.WriteElementString('maml', 'uri', $Maml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $Dev, $(if ($isSwitch -and $V.Default -eq 'None') { 'False' } else { $V.Default }))
    $W.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $W, [object[]] $Types, [string] $List, [string] $Item) {
    $W.WriteStartElement('command', $List, $Command)
    foreach ($t in $Types) {
        $W.WriteStartElement('command', $Item, $Command)
        $W.WriteStartElement('dev', 'type', $Dev); $W.WriteElementString('maml', 'name', $Maml, $t.Type); $W.WriteEndElement()
        Write-Para $W $t.Description
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $W, [object] $C) {
    $W.WriteStartElement('command', 'command', $Command)
    $W.WriteAttributeString('xmlns', 'maml', $null, $Maml)
    $W.WriteAttributeString('xmlns', 'command', $null, $Command)
    $W.WriteAttributeString('xmlns', 'dev', $null, $Dev)

    $verb, $noun = $C.Name -split '-', 2
    $W.WriteStartElement('command', 'details', $Command)
    $W.WriteElementString('command', 'name', $Command, $C.Name)
    $W.WriteElementString('command', 'verb', $Command, $verb)
    $W.WriteElementString('command', 'noun', $Command, $noun)
    Write-Para $W $C.Synopsis
    $W.WriteEndElement()
    Write-Para $W $C.Description

    # One syntax item per parameter set: positional parameters by position, then the rest in documented order.
    $W.WriteStartElement('command', 'syntax', $Command)
    foreach ($set in $C.SetNames) {
        $W.WriteStartElement('command', 'syntaxItem', $Command)
        $W.WriteElementString('maml', 'name', $Maml, $C.Name)
        $inSet = foreach ($p in $C.Parameters) {
            $v = $p.Variants | Where-Object { $_.Sets -contains $set -or $_.Sets -contains '(All)' } | Select-Object -First 1
            if ($v) { [pscustomobject]@{ P = $p; V = $v; Order = $(if ($v.Position -eq 'named') { [int]::MaxValue } else { [int] $v.Position }) } }
        }
        foreach ($entry in $inSet | Sort-Object Order -Stable) { Write-Parameter $W $entry.P $entry.V }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $Command)
    foreach ($p in $C.Parameters) { Write-Parameter $W $p $p.Variants[0] }
    $W.WriteEndElement()

    Write-TypeList $W $C.Inputs 'inputTypes' 'inputType'
    Write-TypeList $W $C.Outputs 'returnValues' 'returnValue'

    $W.WriteStartElement('maml', 'alertSet', $Maml)
    $W.WriteStartElement('maml', 'alert', $Maml)
    foreach ($para in $C.Notes) { $W.WriteElementString('maml', 'para', $Maml, $para) }
    $W.WriteEndElement(); $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $Command)
    foreach ($ex in $C.Examples) {
        $W.WriteStartElement('command', 'example', $Command)
        $W.WriteElementString('maml', 'title', $Maml, "--------- $($ex.Title) ---------")
        $W.WriteElementString('dev', 'code', $Dev, $ex.Code)
        $W.WriteStartElement('dev', 'remarks', $Dev)
        foreach ($para in @($ex.Remarks) + '') { $W.WriteElementString('maml', 'para', $Maml, $para) }   # '': a blank line after
        $W.WriteEndElement(); $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('maml', 'relatedLinks', $Maml)
    foreach ($link in $C.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $Maml)
        $W.WriteElementString('maml', 'linkText', $Maml, $link.Text)
        # Get-Help rejects a relative uri (a link to another .md), so those links keep their text only.
        $uri = if ([Uri]::IsWellFormedUriString($link.Uri, [UriKind]::Absolute)) { $link.Uri } else { '' }
        $W.WriteElementString('maml', 'uri', $Maml, $uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
    $W.WriteEndElement()
}

# ---------------------------------------------------------------------------------------------- about topics

function Format-Wrapped([string] $Text, [int] $Indent, [int] $Hanging = 0, [int] $Width = 80) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($line.Trim() -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line.TrimEnd()); $line = ' ' * ($Indent + $Hanging)
        }
        $line += $(if ($line.Trim()) { " $word" } else { $word })
    }
    $lines.Add($line.TrimEnd())
    $lines
}

function ConvertTo-AboutText([object] $Doc) {
    $name = [IO.Path]::GetFileNameWithoutExtension($Doc.File)
    $sections = Split-Section $Doc.Blocks 2
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if (-not ($sections | Where-Object { $_.Title -eq $required -and (Get-Paragraph $_.Blocks) })) {
            Add-Problem $Doc.File 1 "## $required is missing or empty."
        }
    }
    $out = [System.Collections.Generic.List[string]]::new()
    $out.AddRange([string[]] @('TOPIC', "    $name", ''))
    foreach ($section in $sections | Where-Object Title) {
        $out.Add($section.Title.ToUpperInvariant())
        $first = $true
        foreach ($block in $section.Blocks) {
            if (-not $first) { $out.Add('') }
            $first = $false
            switch ($block.Kind) {
                'Heading' { $out.Add('  ' + (ConvertFrom-Inline $block.Text)) }
                'Code' { foreach ($l in $block.Text -split "`n") { $out.Add(("        $l").TrimEnd()) } }
                'Text' {
                    if ($block.Lines[0] -match '^\s*\|') { foreach ($l in $block.Lines) { $out.Add("    $($l.Trim())") }; continue }
                    foreach ($para in Get-Paragraph @($block)) {
                        $hanging = if ($para -match '^([-*+]|\d+\.)\s+') { $Matches[0].Length } else { 0 }
                        $out.AddRange([string[]] @(Format-Wrapped $para 4 $hanging))
                    }
                }
            }
        }
        $out.Add('')
    }
    $out -join "`n"
}

# ---------------------------------------------------------------------------------------------- main

# Help pages are Verb-Noun.md (a command) and about_*.md (a topic); other markdown in docs/ (benchmarks,
# design notes) is not help.
$docs = @(Get-ChildItem -LiteralPath $DocsPath -Filter *.md -File |
    Where-Object { $_.BaseName -like 'about_*' -or $_.BaseName -match '^[A-Za-z]+-[A-Za-z]+$' } | Sort-Object Name)
if (-not $docs) { throw "No markdown help found in '$DocsPath'." }
$commands = [System.Collections.Generic.List[object]]::new()
$abouts = [ordered]@{}
foreach ($file in $docs) {
    $doc = Read-HelpMarkdown $file.FullName
    if ($file.BaseName -like 'about_*') { $abouts["$($file.BaseName).help.txt"] = ConvertTo-AboutText $doc }
    else { $commands.Add((ConvertFrom-CommandMarkdown $doc)) }
}
if ($script:Problems.Count -gt 0) {
    throw "The help markdown in '$DocsPath' is malformed; fix these and build again:`n  " + ($script:Problems -join "`n  ")
}

$null = New-Item -ItemType Directory -Force -Path $OutputPath
$mamlPath = Join-Path $OutputPath $HelpFileName
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create($mamlPath, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($c in $commands) { Write-Command $writer $c }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }
$null = [xml] [IO.File]::ReadAllText($mamlPath)   # Well-formed, or this throws.

foreach ($entry in $abouts.GetEnumerator()) {
    [IO.File]::WriteAllText((Join-Path $OutputPath $entry.Key), $entry.Value + "`n", [Text.UTF8Encoding]::new($false))
}
Write-Verbose "Help: $($commands.Count) command(s) into $mamlPath; $($abouts.Count) about topic(s)."
