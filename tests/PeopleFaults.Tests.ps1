# People across runs when things go wrong: a damaged corrections.json, a cut or altered encoding, a photo path
# with "::", people and corrections whose photos leave, and another writer holding the export.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $script:Photos = [IO.Path]::Combine($TestDrive, 'Tom::Jerry')
    $null = [IO.Directory]::CreateDirectory($Photos)
    . (Join-Path $PSScriptRoot 'SyntheticPeople.ps1')
    function New-Export([string] $Name) {
        $folder = Join-Path $TestDrive $Name
        $First | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        $folder
    }
    function Get-Errors([scriptblock] $Command) {
        $ErrorActionPreference = 'Continue' # as at a console: a non-terminating error goes on (the test run sets Stop)
        @(& $Command 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }
    # Invoke-FaceCluster -Previous as a nightly task runs it (its groups, warnings and PeopleNotice objects), then a
    # fresh export into the folder that keeps its corrections.json.
    function Invoke-Night([object[]] $Faces, [string] $Folder) {
        $groups = @($Faces | Invoke-FaceCluster -Epsilon 0.3 -Previous $Folder -WarningVariable warnings -InformationVariable information 3>$null 6>$null)
        Get-ChildItem -LiteralPath $Folder -Force | Where-Object Name -ne 'corrections.json' | Remove-Item -Recurse -Force
        $groups | Export-FaceCluster -Path $Folder
        [pscustomobject]@{
            Groups = $groups
            Warnings = @($warnings | ForEach-Object { "$_" })
            Notices = @($information | Where-Object { $_.Tags -contains 'PeopleNotice' } | ForEach-Object MessageData)
        }
    }

    $script:First = @(New-Faces a 0 (0..5)) + @(New-Faces b 1 (0..3)) + @(New-Faces c 2 (0..2))
}

Describe 'A damaged corrections.json' {
    It 'is ExportInvalid and PreviousExportInvalid naming the file, the entry and the remedy: <Case>' -ForEach @(
        @{ Case = 'a null entry'; Entry = '"names" entry 0'; Json = '{ "tool": "FaceCluster", "schemaVersion": 1, "nextPersonId": 3, "names": [null] }' }
        @{ Case = 'a merge into -1'; Entry = '"merges" entry 0'; Json = '{ "tool": "FaceCluster", "schemaVersion": 1, "nextPersonId": 3, "merges": [{ "id": 1, "into": -1 }] }' }
        @{ Case = 'a removal without its photo'; Entry = '"removals" entry 0'; Json = '{ "tool": "FaceCluster", "schemaVersion": 1, "nextPersonId": 3, "removals": [{ "id": 1, "faceIndex": 0 }] }' }
    ) {
        $folder = New-Export "damaged-$($Case -replace '\W', '')"
        $file = Join-Path $folder 'corrections.json'
        Set-Content -LiteralPath $file -Value $Json
        $errors = Get-Errors { Rename-FaceCluster -LiteralPath $folder -Id 0 -Name Ann }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExportInvalid,FaceCluster.Commands.*'
        $errors[0].Exception.Message | Should -BeLike "*$file*$Entry*run the command again*"
        { $First | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -ErrorAction Stop } |
            Should -Throw -ErrorId 'PreviousExportInvalid,FaceCluster.Commands.InvokeFaceClusterCommand'
        Get-Content -Raw -LiteralPath $file | Should -Be ($Json + [Environment]::NewLine)
    }
}

Describe 'An encoding cut or altered' {
    It 'is skipped with InvalidFaceEncoding naming its photo, and the rest are clustered: <Case>' -ForEach @(
        @{ Case = 'a number short'; Make = { New-Face a9 0 9 -Length 7 }; Problem = '*7 numbers*8*' }
        @{ Case = 'NaN'; Make = { $f = New-Face a9 0 9; $f.Vector[2] = [float]::NaN; $f }; Problem = '*NaN at 2*' }
        @{ Case = 'infinity'; Make = { $f = New-Face a9 0 9; $f.Vector[0] = [float]::PositiveInfinity; $f }; Problem = '*at 0*' }
        @{ Case = 'a negative face index'; Make = { $f = New-Face a9 0 9; $f.FaceIndex = -1; $f }; Problem = '*FaceIndex -1*' }
        @{ Case = 'a box of NaN'; Make = { $f = New-Face a9 0 9; $f.Box.X = [double]::NaN; $f }; Problem = '*Box*not a box*' }
        @{ Case = 'a box of no width'; Make = { $f = New-Face a9 0 9; $f.Box.Width = -5; $f }; Problem = '*Box*not a box*' }
        @{ Case = 'a NaN confidence'; Make = { $f = New-Face a9 0 9; $f.Confidence = [double]::NaN; $f }; Problem = '*Confidence*' }
        @{ Case = 'a NaN landmark'; Make = { $f = New-Face a9 0 9; $f.Landmarks = @([pscustomobject]@{ X = [double]::NaN; Y = 1 }); $f }; Problem = '*Landmarks*' }
        @{ Case = 'no image size'; Make = { $f = New-Face a9 0 9; $f.ImageWidth = 0; $f }; Problem = '*image size*' }
        @{ Case = 'a relative path'; Make = { $f = New-Face a9 0 9; $f.Path = 'a9.jpg'; $f }; Problem = "*Path 'a9.jpg'*" }
    ) {
        $bad = & $Make
        $errors = Get-Errors { $First + $bad | Invoke-FaceCluster -Epsilon 0.3 -OutVariable script:groups }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidFaceEncoding,FaceCluster.Commands.InvokeFaceClusterCommand'
        $errors[0].TargetObject | Should -Be $bad.Path
        $errors[0].Exception.Message | Should -BeLike $Problem
        ($groups | ForEach-Object FaceCount | Measure-Object -Sum).Sum | Should -Be $First.Count
    }

    It 'in a group copied for Export-FaceCluster is InvalidFaceGroup, and the other groups are exported: <Case>' -ForEach @(
        @{ Case = 'a NaN confidence'; Alter = { $_.Confidence = [double]::NaN } }
        @{ Case = 'a box of NaN'; Alter = { $_.Box.Width = [double]::NaN } }
        @{ Case = 'a negative face index'; Alter = { $_.FaceIndex = -1 } }
    ) {
        $copies = @($First | Invoke-FaceCluster -Epsilon 0.3 | ConvertTo-Json -Depth 8 | ConvertFrom-Json)
        $copies[1].Members[0].Face | ForEach-Object $Alter
        $folder = Join-Path $TestDrive "altered-$($Case -replace '\W', '')"
        $errors = Get-Errors { $copies | Export-FaceCluster -Path $folder }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidFaceGroup,FaceCluster.Commands.ExportFaceClusterCommand'
        $errors[0].Exception.Message | Should -BeLike '*encode the photo again*'
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $folder 'faces.json') | ConvertFrom-Json
        $manifest.complete | Should -BeTrue
        @($manifest.clusters).Count | Should -Be 2
    }
}

Describe 'A photo path with "::"' {
    It 'is taken out of its person by the file of changes the review page makes' {
        $folder = New-Export 'colons'
        $page = Get-Content -Raw -LiteralPath (Join-Path $folder 'review/person-1.html')
        $onPage = [regex]::Matches($page, 'data-photo="(.*?)"') | ForEach-Object { [System.Net.WebUtility]::HtmlDecode($_.Groups[1].Value) }
        $photo = [IO.Path]::Combine($Photos, 'b2.jpg')
        $onPage | Should -Contain $photo
        $edits = New-ReviewEditsFile -Export $folder -Path (Join-Path $TestDrive 'colons.json') -Edits @(
            [ordered]@{ action = 'remove'; id = 1; faces = @([ordered]@{ photo = $photo; faceIndex = 0 }) })
        $null = Import-FaceClusterCorrection -LiteralPath $folder -FilePath $edits -ErrorAction Stop
        $removals = (Get-Content -Raw -LiteralPath (Join-Path $folder 'corrections.json') | ConvertFrom-Json).removals
        $removals.path | Should -Be $photo
        Remove-FaceClusterMember -Path $folder -Id 1 -Photo ([IO.Path]::Combine($Photos, 'b3.jpg')) -ErrorAction Stop
        Push-Location -LiteralPath $TestDrive
        try { Remove-FaceClusterMember -Path $folder -Id 1 -Photo 'Tom::Jerry/b1.jpg' -ErrorAction Stop }
        finally { Pop-Location }
        @((Get-Content -Raw -LiteralPath (Join-Path $folder 'corrections.json') | ConvertFrom-Json).removals.path) |
            Should -Be @($photo, ([IO.Path]::Combine($Photos, 'b3.jpg')), ([IO.Path]::Combine($Photos, 'b1.jpg')))
    }
}

Describe 'People and corrections that leave' {
    It 'says once, as a warning and a PeopleNotice, that a named person left' {
        $folder = New-Export 'named-gone'
        Rename-FaceCluster -LiteralPath $folder -Id 2 -Name Cy
        $without = @($First | Where-Object { $_.Path -notlike '*c?.jpg' })
        foreach ($night in 1..3) {
            $run = Invoke-Night $without $folder
            $gone = @($run.Notices | Where-Object Code -eq 'NamedPersonGone')
            if ($night -eq 1) {
                $gone.Count | Should -Be 1
                $gone[0].Message | Should -BeLike "*Person 2 'Cy'*corrections.json*"
                ($run.Warnings -join "`n") | Should -BeLike "*NamedPersonGone*'Cy'*"
            }
            else {
                $run.Notices | Should -BeNullOrEmpty -Because "night $night"
                $run.Warnings | Should -BeNullOrEmpty -Because "night $night"
            }
        }
    }

    It 'retires, with one notice, a face taken out of a person whose photo is then deleted' {
        $folder = New-Export 'retired'
        $photo = [IO.Path]::Combine($Photos, 'a5.jpg')
        Remove-FaceClusterMember -LiteralPath $folder -Id 0 -Photo $photo
        [IO.File]::Move($photo, (Join-Path $TestDrive 'a5-away.jpg'))
        try {
            $without = @($First | Where-Object Path -ne $photo)
            foreach ($night in 1..3) {
                $run = Invoke-Night $without $folder
                    if ($night -eq 1) {
                    @($run.Notices).Code | Should -Be 'CorrectionRetired'
                    $run.Notices[0].Message | Should -BeLike "*$photo*"
                    ($run.Warnings -join "`n") | Should -BeLike '*CorrectionRetired*'
                }
                else {
                    $run.Notices | Should -BeNullOrEmpty -Because "night $night"
                    $run.Warnings | Should -BeNullOrEmpty -Because "night $night"
                }
            }
        }
        finally { [IO.File]::Move((Join-Path $TestDrive 'a5-away.jpg'), $photo) }
    }
}

Describe 'Another writer holding the export' {
    It 'refuses a correction with ExportLocked, and Invoke-FaceCluster -Previous records nothing then but still clusters' {
        $folder = New-Export 'locked'
        Remove-Item -LiteralPath (Join-Path $folder 'cluster_1/b0.jpg')   # a change -Previous records
        $held = [IO.File]::Open((Join-Path $folder '.facecluster.lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $errors = Get-Errors { Rename-FaceCluster -LiteralPath $folder -Id 0 -Name Ann }
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'ExportLocked,FaceCluster.Commands.RenameFaceClusterCommand'
            $errors = Get-Errors { $First | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -OutVariable script:groups 3>$null }
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'ExportLocked,FaceCluster.Commands.InvokeFaceClusterCommand'
            @($groups | Where-Object { -not $_.IsDoubtful }).Count | Should -Be 3
            Join-Path $folder 'corrections.json' | Should -Not -Exist
        }
        finally { $held.Dispose() }
        Rename-FaceCluster -LiteralPath $folder -Id 0 -Name Ann -ErrorAction Stop
        $null = $First | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -ErrorAction Stop
        $saved = Get-Content -Raw -LiteralPath (Join-Path $folder 'corrections.json') | ConvertFrom-Json
        $saved.names.name | Should -Be 'Ann'
        [IO.Path]::GetFileName($saved.removals.path) | Should -Be 'b0.jpg'
    }
}
