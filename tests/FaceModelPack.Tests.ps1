# Install-FaceModelPack, Get-FaceModelPack, Uninstall-FaceModelPack and -Model with an installed pack. The test pack
# is faceplugin's own embedding network under a new name (no weights beyond the build's): the same network, so the
# same vectors. Each test has a pack folder of its own ($env:FACECLUSTER_PACKS).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Sample1 = Join-Path $SamplesDirectory 'sample1.jpg'
    $script:Models = Join-Path $ModuleDirectory 'models'
    $script:Network = Join-Path $Models 'faceplugin/fr_feature.onnx'
    $faceplugin = (Get-Content -Raw (Join-Path $Models 'packs.json') | ConvertFrom-Json).packs[0]
    $script:FacepluginPack = $faceplugin
    $script:SavedPacks = $env:FACECLUSTER_PACKS

    function New-Definition([string] $Name = 'mypack', [switch] $LicenseRequired) {
        # A definition in the user format: detector and landmarks from faceplugin, the embedding file its own.
        [ordered]@{
            name = $Name
            description = 'faceplugin''s network, installed as a user pack'
            license = 'Test licence: research use only'
            licenseAcceptanceRequired = [bool] $LicenseRequired
            files = @(
                [ordered]@{ role = 'detector'; fromPack = 'faceplugin'; name = 'fr_detect.onnx'; sha256 = $FacepluginPack.files[0].sha256 }
                [ordered]@{ role = 'landmarks'; fromPack = 'faceplugin'; name = 'fr_landmark.onnx'; sha256 = $FacepluginPack.files[1].sha256 }
                [ordered]@{ role = 'embedding'; name = 'my_network.onnx'; sha256 = $FacepluginPack.files[2].sha256 }
            )
            embeddingSize = 512
            metric = 'Cosine'
            epsilon = 0.43
            minSamples = 2
            algorithm = 'AverageLinkage'
            linkageThreshold = 0.54
            libraryThreshold = $FacepluginPack.libraryThreshold
            alignment = [ordered]@{ template = 'arcface' }
            input = [ordered]@{ channelOrder = 'RGB'; mean = @(127, 127, 127); std = @(128, 128, 128); normalizeOutput = $true }
        }
    }

    function Save-Definition($Definition, [string] $Name = 'definition.json') {
        $file = Join-Path $TestDrive $Name
        $Definition | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $file
        $file
    }

    function Use-PackFolder([string] $Name) {
        $env:FACECLUSTER_PACKS = Join-Path $TestDrive $Name
        $env:FACECLUSTER_PACKS
    }
}

AfterAll {
    $env:FACECLUSTER_PACKS = $SavedPacks
}

Describe 'Install-FaceModelPack' {
    It 'installs a pack from its definition and network file into the per-user folder' {
        $root = Use-PackFolder 'good'
        $pack = Install-FaceModelPack -Definition (Save-Definition (New-Definition)) -LiteralPath $Network

        $pack.Name | Should -Be 'mypack'
        $pack.Source | Should -Be 'Installed'
        $pack.Installed | Should -BeTrue
        $pack.Path | Should -Be (Join-Path $root 'mypack')
        (Get-FileHash (Join-Path $root 'mypack/my_network.onnx')).Hash | Should -Be $FacepluginPack.files[2].sha256
        (Get-Content -Raw (Join-Path $root 'mypack/pack.json') | ConvertFrom-Json).name | Should -Be 'mypack'
        @(Get-ChildItem -LiteralPath $root -Force).Name | Should -Be @('mypack') -Because 'no work folder is left behind'
    }

    It 'takes the file of the same name from a folder given to -Path' {
        Use-PackFolder 'folder' | Out-Null
        $source = Join-Path $TestDrive 'downloads'
        New-Item -ItemType Directory $source | Out-Null
        Copy-Item $Network (Join-Path $source 'my_network.onnx')
        Copy-Item (Join-Path $Models 'faceplugin/fr_landmark.onnx') $source

        (Install-FaceModelPack (Save-Definition (New-Definition)) $source).Installed | Should -BeTrue
    }

    It 'takes the files from the pipeline' {
        $root = Use-PackFolder 'piped'
        $definition = Save-Definition (New-Definition)

        $pack = Get-Item -LiteralPath $Network | Install-FaceModelPack -Definition $definition

        $pack.Installed | Should -BeTrue
        Test-Path (Join-Path $root 'mypack/my_network.onnx') | Should -BeTrue
    }

    It 'refuses a file whose SHA-256 differs from the definition and installs nothing' {
        $root = Use-PackFolder 'wronghash'
        $wrong = Join-Path $Models 'faceplugin/fr_landmark.onnx'

        $result = Install-FaceModelPack (Save-Definition (New-Definition)) $wrong -ErrorVariable failed -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failed.FullyQualifiedErrorId | Should -Be 'ModelPackHashMismatch,FaceCluster.Commands.InstallFaceModelPackCommand'
        $failed.TargetObject | Should -Be $wrong
        $failed.Exception.Message | Should -Match 'nothing was installed'
        @(Get-ChildItem -LiteralPath $root -Force -ErrorAction Ignore) | Should -HaveCount 0
        Get-FaceModelPack -Name mypack | Should -BeNullOrEmpty
    }

    It 'refuses a pack whose licence needs acceptance without -AcceptLicense, naming the licence' {
        $root = Use-PackFolder 'licence'
        $definition = Save-Definition (New-Definition -LicenseRequired)

        Install-FaceModelPack $definition $Network -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.FullyQualifiedErrorId | Should -Be 'ModelPackLicenseNotAccepted,FaceCluster.Commands.InstallFaceModelPackCommand'
        $failed.Exception.Message | Should -Match 'research use only'
        $failed.Exception.Message | Should -Match '-AcceptLicense'
        Test-Path (Join-Path $root 'mypack') | Should -BeFalse

        $pack = Install-FaceModelPack $definition $Network -AcceptLicense
        $pack.LicenseAcceptanceRequired | Should -BeTrue
        $pack.License | Should -Be 'Test licence: research use only'
    }

    It 'refuses to replace an installed pack without -Force' {
        Use-PackFolder 'again' | Out-Null
        $definition = Save-Definition (New-Definition)
        Install-FaceModelPack $definition $Network | Out-Null

        Install-FaceModelPack $definition $Network -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.FullyQualifiedErrorId | Should -Be 'ModelPackAlreadyInstalled,FaceCluster.Commands.InstallFaceModelPackCommand'

        (Install-FaceModelPack $definition $Network -Force).Installed | Should -BeTrue
    }

    It 'names the field at fault: <Field>' -ForEach @(
        @{ Field = 'name'; Change = { param($d) $d.Remove('name') } }
        @{ Field = 'name'; Change = { param($d) $d.name = '../escape' } }
        @{ Field = 'name'; Change = { param($d) $d.name = 'FacePlugin' } }
        @{ Field = 'files[2].sha256'; Change = { param($d) $d.files[2].sha256 = 'abc' } }
        @{ Field = 'files[2].name'; Change = { param($d) $d.files[2].name = '../x.onnx' } }
        @{ Field = 'files[0].fromPack'; Change = { param($d) $d.files[0].fromPack = 'nosuchpack' } }
        @{ Field = 'files[1].role'; Change = { param($d) $d.files[1].role = 'eyes' } }
        @{ Field = 'files'; Change = { param($d) $d.files = @($d.files[0], $d.files[1]) } }
        @{ Field = 'metric'; Change = { param($d) $d.metric = 'Manhattan' } }
        @{ Field = 'epsilon'; Change = { param($d) $d.epsilon = -1 } }
        @{ Field = 'embeddingSize'; Change = { param($d) $d.embeddingSize = 'big' } }
        @{ Field = 'libraryThreshold.maxThreshold'; Change = { param($d) $d.libraryThreshold = [ordered]@{ falsePairShare = 0.2; differentPeople = $d.libraryThreshold.differentPeople } } }
        @{ Field = 'alignment.template'; Change = { param($d) $d.alignment.template = 'faceplugin2' } }
        @{ Field = 'alignment.landmarks68'; Change = { param($d) $d.alignment = [ordered]@{ chipSize = 112; template = @(@(0.3, 0.4), @(0.7, 0.4)) } } }
        @{ Field = 'input.channelOrder'; Change = { param($d) $d.input.channelOrder = 'GBR' } }
        @{ Field = 'input.std'; Change = { param($d) $d.input.std = @(128, 128) } }
        @{ Field = 'licenseAcceptanceRequired'; Change = { param($d) $d.licenseAcceptanceRequired = 'yes' } }
        # Checked against the network itself: it gives 512 numbers from a 112x112 chip.
        @{ Field = 'embeddingSize'; Change = { param($d) $d.embeddingSize = 128 } }
        @{ Field = 'alignment.chipSize'; Change = { param($d) $d.alignment = [ordered]@{ chipSize = 150; padding = 0.25; template = @(@(0.3, 0.4), @(0.7, 0.4)); landmarks68 = @(36, 45) } } }
    ) {
        $root = Use-PackFolder "broken-$([guid]::NewGuid())"
        $definition = New-Definition
        & $Change $definition
        $file = Save-Definition $definition 'broken.json'

        Install-FaceModelPack $file $Network -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 1
        $failed.FullyQualifiedErrorId | Should -Be 'ModelPackInvalid,FaceCluster.Commands.InstallFaceModelPackCommand'
        $failed.TargetObject | Should -Be $file
        $failed.Exception.Message | Should -Match ([regex]::Escape("'$file': field '$Field' "))
        @(Get-ChildItem -LiteralPath $root -Force -ErrorAction Ignore) | Should -HaveCount 0 -Because 'nothing is installed'
    }

    It 'names the file when it is not JSON' {
        Use-PackFolder 'notjson' | Out-Null
        $file = Join-Path $TestDrive 'notjson.json'
        Set-Content -LiteralPath $file '{ "name": "mypack", '

        Install-FaceModelPack $file $Network -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.FullyQualifiedErrorId | Should -Be 'ModelPackInvalid,FaceCluster.Commands.InstallFaceModelPackCommand'
        $failed.Exception.Message | Should -Match ([regex]::Escape($file))
        $failed.Exception.Message | Should -Match 'not valid JSON'
    }
}

Describe 'An installed pack' {
    BeforeAll {
        $script:Root = Use-PackFolder 'installed'
        Install-FaceModelPack (Save-Definition (New-Definition)) $Network | Out-Null
    }

    BeforeEach {
        $env:FACECLUSTER_PACKS = $Root
    }

    It 'is listed by Get-FaceModelPack after the built-in packs' {
        $packs = @(Get-FaceModelPack)
        $packs.Name | Should -Be @('faceplugin', 'dlib', 'mypack')
        $packs[0].Source | Should -Be 'BuiltIn'
        $packs[0].License | Should -Be 'MIT'
        $mine = Get-FaceModelPack -Name my*
        $mine.Source | Should -Be 'Installed'
        $mine.Path | Should -Be (Join-Path $Root 'mypack')
        $mine.EmbeddingSize | Should -Be 512
    }

    It 'is offered by -Model tab completion' {
        $line = "Get-FaceEncoding -Path x.jpg -Model my"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('mypack')
    }

    It 'gives the vectors of faceplugin, whose network it is' {
        $mine = @(Get-FaceEncoding -LiteralPath $Sample1 -Model mypack)
        $builtIn = @(Get-FaceEncoding -LiteralPath $Sample1)

        $mine | Should -HaveCount 3
        $mine.Model | Select-Object -Unique | Should -Be 'mypack'
        foreach ($i in 0..2) { $mine[$i].Vector | Should -Be $builtIn[$i].Vector }
    }

    It 'clusters with its own defaults' {
        $groups = @(Get-FaceEncoding -LiteralPath $Sample1 -Model mypack | Invoke-FaceCluster)
        $groups.Count | Should -BeGreaterThan 0
    }

    It 'stops the run at once with the remedy when its file is <Damage>' -ForEach @(
        @{ Damage = 'tampered'; Do = { param($f) $b = [IO.File]::ReadAllBytes($f); $b[$b.Length / 2] = $b[$b.Length / 2] -bxor 1; [IO.File]::WriteAllBytes($f, $b) } }
        @{ Damage = 'missing'; Do = { param($f) Remove-Item -LiteralPath $f } }
    ) {
        $root = Use-PackFolder "damaged-$Damage"
        Install-FaceModelPack (Save-Definition (New-Definition)) $Network | Out-Null
        $file = Join-Path $root 'mypack/my_network.onnx'
        & $Do $file

        $thrown = { Get-FaceEncoding -LiteralPath $Sample1, $Sample1 -Model mypack } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -Be 'ModelFileInvalid,FaceCluster.Commands.GetFaceEncodingCommand'
        $thrown.Exception.Message | Should -Match ([regex]::Escape($file))
        $thrown.Exception.Message | Should -Match 'reinstall the pack with Install-FaceModelPack'
    }

    It 'whose definition was damaged is named with the field when -Model asks for it, and listed as an error' {
        $root = Use-PackFolder 'edited'
        Install-FaceModelPack (Save-Definition (New-Definition)) $Network | Out-Null
        $installed = Join-Path $root 'mypack/pack.json'
        (Get-Content -Raw $installed) -replace '"Cosine"', '"Hamming"' | Set-Content -LiteralPath $installed

        $thrown = { Get-FaceEncoding -LiteralPath $Sample1 -Model mypack } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -Be 'ModelPackInvalid,FaceCluster.Commands.GetFaceEncodingCommand'
        $thrown.Exception.Message | Should -Match ([regex]::Escape("'$installed': field 'metric'"))

        $listed = @(Get-FaceModelPack -ErrorVariable failed -ErrorAction SilentlyContinue)
        $listed.Name | Should -Be @('faceplugin', 'dlib')
        $failed.FullyQualifiedErrorId | Should -Be 'ModelPackInvalid,FaceCluster.Commands.GetFaceModelPackCommand'
    }

    It 'is found by a fresh pwsh of the same user' {
        $module = $env:FACECLUSTER_MODULE
        $run = Invoke-ChildPwsh "Import-Module '$module'; (Get-FaceModelPack mypack).Source; @(Get-FaceEncoding -LiteralPath '$Sample1' -Model mypack).Count"
        $run.ExitCode | Should -Be 0 -Because $run.Output
        ($run.Output -split "`r?`n" | Where-Object { $_ }) | Should -Be @('Installed', '3')
    }

    It 'goes to FaceCluster/packs in the user''s data folder when FACECLUSTER_PACKS is not set' -Skip:(-not $IsLinux) {
        # On Linux .NET's LocalApplicationData is $XDG_DATA_HOME; Windows and macOS have their own (about_FaceCluster).
        $data = Join-Path $TestDrive 'xdg'
        $module = $env:FACECLUSTER_MODULE
        $definition = Save-Definition (New-Definition)
        $run = Invoke-ChildPwsh "`$env:FACECLUSTER_PACKS = `$null; `$env:XDG_DATA_HOME = '$data'; Import-Module '$module'; (Install-FaceModelPack '$definition' '$Network').Path"
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output.Trim() | Should -Be (Join-Path $data 'FaceCluster/packs/mypack')
    }
}

Describe 'Uninstall-FaceModelPack' {
    BeforeEach {
        $script:Root = Use-PackFolder "uninstall-$([guid]::NewGuid())"
        Install-FaceModelPack (Save-Definition (New-Definition)) $Network | Out-Null
    }

    It 'leaves the pack with -WhatIf' {
        Uninstall-FaceModelPack mypack -WhatIf
        Test-Path (Join-Path $Root 'mypack/my_network.onnx') | Should -BeTrue
    }

    It 'removes the pack, and -Model no longer knows it' {
        Get-FaceModelPack mypack | Uninstall-FaceModelPack

        Test-Path (Join-Path $Root 'mypack') | Should -BeFalse
        Get-FaceModelPack mypack | Should -BeNullOrEmpty
        { Get-FaceEncoding -LiteralPath $Sample1 -Model mypack } | Should -Throw -ErrorId 'UnknownModel,FaceCluster.Commands.GetFaceEncodingCommand'
        Test-Path (Join-Path $ModuleDirectory 'models/faceplugin/fr_feature.onnx') | Should -BeTrue -Because 'the built-in pack is untouched'
    }

    It 'reports a name that is not installed, a built-in pack''s included' {
        Uninstall-FaceModelPack nosuchpack, faceplugin -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 2
        $failed.FullyQualifiedErrorId | Select-Object -Unique | Should -Be 'ModelPackNotInstalled,FaceCluster.Commands.UninstallFaceModelPackCommand'
    }
}
