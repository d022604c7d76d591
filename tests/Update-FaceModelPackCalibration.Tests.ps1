BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # A small labelled set from the sample photos: each photo is a "person" with ten photos (copies of its faces under
    # ten file names), so that both the table and the ceiling (people with 10 or more photos) are measured.
    $sampleFaces = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Sort-Object Name | Get-FaceEncoding)
    $script:Truth = Join-Path $TestDrive 'truth'
    $script:Faces = foreach ($photo in @($sampleFaces | Group-Object Path)) {
        $person = Join-Path $Truth ([IO.Path]::GetFileNameWithoutExtension($photo.Name))
        $null = New-Item -ItemType Directory -Path $person
        foreach ($k in 0..9) {
            $path = Join-Path $person "$k.jpg"
            Copy-Item -LiteralPath $photo.Name -Destination $path
            foreach ($face in $photo.Group) {
                $copy = [pscustomobject]@{}
                foreach ($p in $face.PSObject.Properties) { $copy | Add-Member -NotePropertyName $p.Name -NotePropertyValue $p.Value }
                $copy.Path = $path
                $copy
            }
        }
    }

    function New-Definition([string] $Name) {
        $path = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $path -Value '{ "name": "mine", "metric": "Cosine", "files": [], "linkageThreshold": 0.9, "libraryThreshold": { "maxThreshold": 0.95 } }'
        $path
    }
}

Describe 'Update-FaceModelPackCalibration' {
    It 'measures the same table twice, in any order, and writes it into the definition' {
        $definition = New-Definition 'mine.json'
        $before = Get-Content -Raw -LiteralPath $definition
        $first = $Faces | Update-FaceModelPackCalibration -Definition $definition -GroundTruthPath $Truth -WhatIf
        Get-Content -Raw -LiteralPath $definition | Should -BeExactly $before -Because '-WhatIf writes nothing'

        $second = $Faces | Sort-Object { [Random]::Shared.Next() } | Update-FaceModelPackCalibration -Definition $definition -GroundTruthPath $Truth
        $second.PSObject.TypeNames[0] | Should -Be 'FaceCluster.Model.ModelPackCalibration'
        $second.ShareAtOrBelow | Should -Be $first.ShareAtOrBelow
        $second.MaxThreshold | Should -Be $first.MaxThreshold
        $second.LinkageThreshold | Should -Be $first.LinkageThreshold
        $second.Sets[0].People | Should -Be 6
        $second.PeoplePairs | Should -Be 15
        $second.DifferentPeoplePairs | Should -Be (60 * 50 / 2)
        $second.MaxThreshold | Should -Not -BeNullOrEmpty

        $written = Get-Content -Raw -LiteralPath $definition | ConvertFrom-Json
        $written.name | Should -Be 'mine'
        $written.linkageThreshold | Should -Be $second.LinkageThreshold
        $written.libraryThreshold.maxThreshold | Should -Be $second.MaxThreshold
        $written.libraryThreshold.falsePairShare | Should -Be 0.2
        $entries = [int][Math]::Round(($second.MaxThreshold - 0.3) / 0.01) + 1
        $written.libraryThreshold.differentPeople.shareAtOrBelow | Should -Be ($second.ShareAtOrBelow | Select-Object -First $entries)
    }

    It 'stops with <ErrorId> when <Case>' -ForEach @(
        @{ Case = 'the definition is not JSON'; ErrorId = 'DefinitionInvalid'; Text = '{ "metric": '; Given = 'all' }
        @{ Case = 'the definition has no metric'; ErrorId = 'DefinitionInvalid'; Text = '{ "name": "x" }'; Given = 'all' }
        @{ Case = 'only one person has faces'; ErrorId = 'NotEnoughLabelledFaces'; Text = '{ "metric": "Cosine" }'; Given = 'one' }
    ) {
        $definition = Join-Path $TestDrive 'bad.json'
        Set-Content -LiteralPath $definition -Value $Text
        $chosen = if ($Given -eq 'one') { $script:Faces | Where-Object { $_.Path -like '*sample1*' } } else { $script:Faces }
        { $chosen | Update-FaceModelPackCalibration -Definition $definition -GroundTruthPath $Truth -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,FaceCluster.Commands.UpdateFaceModelPackCalibrationCommand"
        Get-Content -Raw -LiteralPath $definition | Should -BeExactly ($Text + [Environment]::NewLine)
    }
}
