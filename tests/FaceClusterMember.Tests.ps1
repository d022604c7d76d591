# Faces as objects (Get-FaceClusterMember) and the face corrections they feed: Move-FaceClusterMember,
# Split-FaceCluster, Hide-FaceClusterMember; corrections as objects (Get-FaceClusterCorrection) taken back with
# Undo-FaceClusterCorrection; each applied by the next Invoke-FaceCluster -Previous.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $script:Photos = Join-Path $TestDrive 'photos'
    New-Item -ItemType Directory -Path $Photos | Out-Null
    . (Join-Path $PSScriptRoot 'SyntheticPeople.ps1')
    foreach ($name in 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'b0', 'b1', 'b2', 'b3', 'c0', 'c1', 'c2') {
        # Photos of distinct content (a copy of a sample with its name appended), so each has its own content key.
        $file = Join-Path $Photos "$name.jpg"
        [IO.File]::WriteAllBytes($file, [byte[]]@([IO.File]::ReadAllBytes((Join-Path $SamplesDirectory 'sample1.jpg')) + [Text.Encoding]::ASCII.GetBytes($name)))
    }
    $script:First = @(New-Faces a 0 (0..5)) + @(New-Faces b 1 (0..3)) + @(New-Faces c 2 (0..2))

    function New-Export([string] $Name) {
        $folder = Join-Path $TestDrive $Name
        $First | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        $folder
    }
    function Get-People($Faces, [string] $Folder) {
        # Each person of a rerun with -Previous as "id:photos", and the doubtful faces as "-1:photos".
        $Faces | Invoke-FaceCluster -Epsilon 0.3 -Previous $Folder -WarningAction SilentlyContinue | ForEach-Object {
            '{0}:{1}' -f $_.Id, (($_.Photos | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) } | Sort-Object) -join ',')
        } | Sort-Object
    }
}

Describe 'Get-FaceClusterMember' {
    BeforeAll { $script:Export = New-Export 'members' }

    It 'lists every face of an export with its person, photo and copy' {
        $members = @(Get-FaceClusterMember -Path $Export)
        $members.Count | Should -Be 13
        $a5 = $members | Where-Object Photo -eq (Join-Path $Photos 'a5.jpg')
        $a5.Id | Should -Be 0
        $a5.FaceIndex | Should -Be 0
        $a5.Export | Should -Be $Export
        $a5.Copy | Should -Be (Join-Path $Export 'cluster_0/a5.jpg')
        $a5.Copy | Should -Exist
        $a5.Box.Width | Should -Be 60
        $a5.PSObject.TypeNames | Should -Contain 'FaceCluster.Engine.People.FaceClusterMember'
    }

    It 'selects by -Id and by -Photo (a source path, a copy, or a wildcard), and shows names' {
        Rename-FaceCluster -Path $Export -Id 1 -Name Bob
        @(Get-FaceClusterMember -LiteralPath $Export -Id 1).Name | Sort-Object -Unique | Should -Be 'Bob'
        @(Get-FaceClusterMember -Path $Export -Id 1, 2).Count | Should -Be 7
        (Get-FaceClusterMember -Path $Export -Photo (Join-Path $Photos 'c1.jpg')).Id | Should -Be 2
        (Get-FaceClusterMember -Path $Export -Photo (Join-Path $Export 'cluster_2/c1.jpg')).Photo | Should -Be (Join-Path $Photos 'c1.jpg')
        @(Get-FaceClusterMember -Path $Export -Photo '*b?.jpg').Count | Should -Be 4
    }

    It 'reports ExportNotFound for a folder that is not an export' {
        $ErrorActionPreference = 'Continue'
        $errors = @(Get-FaceClusterMember -Path $Photos 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExportNotFound,FaceCluster.Commands.*'
    }
}

Describe 'Moving, splitting and hiding faces' {
    It 'moves faces piped from Get-FaceClusterMember into a person, kept by the next run' {
        $folder = New-Export 'move'
        $moved = @(Get-FaceClusterMember $folder -Id 0 | Where-Object Photo -match 'a5\.jpg$' | Move-FaceClusterMember -Into 1 -PassThru)
        $moved.Count | Should -Be 1
        $moved[0].Into | Should -Be 1
        $moved[0].ContentKey | Should -Match '^[0-9a-f]{64}$'
        Get-People $First $folder | Should -Be @('0:a0,a1,a2,a3,a4', '1:a5,b0,b1,b2,b3', '2:c0,c1,c2')
    }

    It 'moves the faces of a pipeline into one new person with -NewPerson' {
        $folder = New-Export 'newperson'
        Get-FaceClusterMember $folder -Id 0 | Where-Object Photo -match 'a[45]\.jpg$' | Move-FaceClusterMember -NewPerson
        Get-People $First $folder | Should -Be @('0:a0,a1,a2,a3', '1:b0,b1,b2,b3', '2:c0,c1,c2', '3:a4,a5')
    }

    It 'splits a person by selected photos in one step' {
        $folder = New-Export 'split'
        $made = @(Split-FaceCluster -Path $folder -Id 0 -Photo (Join-Path $Photos 'a3.jpg'), (Join-Path $folder 'cluster_0/a4.jpg') -PassThru)
        $made.Into | Sort-Object -Unique | Should -Be 3
        foreach ($run in 1, 2) {
            Get-People $First $folder | Should -Be @('0:a0,a1,a2,a5', '1:b0,b1,b2,b3', '2:c0,c1,c2', '3:a3,a4') -Because "run $run"
        }
    }

    It 'hides a face: it joins no person and stays among the doubtful faces' {
        $folder = New-Export 'hide'
        Hide-FaceClusterMember -Path $folder -Photo (Join-Path $Photos 'c2.jpg')
        Get-People $First $folder | Should -Be @('-1:c2', '0:a0,a1,a2,a3,a4,a5', '1:b0,b1,b2,b3', '2:c0,c1')
    }

    It 'writes nothing with -WhatIf' {
        $folder = New-Export 'whatif'
        Move-FaceClusterMember -Path $folder -Photo (Join-Path $Photos 'a5.jpg') -Into 1 -WhatIf
        Split-FaceCluster -Path $folder -Id 0 -Photo (Join-Path $Photos 'a3.jpg') -WhatIf
        Hide-FaceClusterMember -Path $folder -Photo (Join-Path $Photos 'c2.jpg') -WhatIf
        Join-Path $folder 'corrections.json' | Should -Not -Exist
    }

    It 'reports <ErrorId> without stopping' -ForEach @(
        @{ ErrorId = 'FaceNotFound'; Command = { Move-FaceClusterMember -Path $Export -Photo (Join-Path $Photos 'zz.jpg') -Into 1 } }
        @{ ErrorId = 'FaceNotFound'; Command = { Split-FaceCluster -Path $Export -Id 1 -Photo (Join-Path $Photos 'a0.jpg') } }
        @{ ErrorId = 'FaceNotFound'; Command = { Hide-FaceClusterMember -Path $Export -Photo (Join-Path $Photos 'a0.jpg') -FaceIndex 3 } }
        @{ ErrorId = 'PersonNotFound'; Command = { Move-FaceClusterMember -Path $Export -Photo (Join-Path $Photos 'a0.jpg') -Into 9 } }
        @{ ErrorId = 'InvalidCorrection'; Command = { Move-FaceClusterMember -Path $Export -Photo (Join-Path $Photos 'a0.jpg') -Into 0 } }
        @{ ErrorId = 'InvalidCorrection'; Command = { Move-FaceClusterMember -Path $Export -Photo (Join-Path $Photos 'a0.jpg') } }
    ) {
        $script:Export = New-Export 'errors'
        $ErrorActionPreference = 'Continue'
        $errors = @(& $Command 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,FaceCluster.Commands.*"
    }
}

Describe 'Listing and taking back corrections' {
    It 'lists every correction as an object and takes one back from the pipeline' {
        $folder = New-Export 'undo'
        Rename-FaceCluster -Path $folder -Id 0 -Name Ann
        Merge-FaceCluster -Path $folder -Id 2 -Into 1
        Move-FaceClusterMember -Path $folder -Photo (Join-Path $Photos 'a5.jpg') -Into 1
        Hide-FaceClusterMember -Path $folder -Photo (Join-Path $Photos 'a4.jpg')
        $corrections = @(Get-FaceClusterCorrection -Path $folder)
        ($corrections | ForEach-Object { '{0}:{1}>{2}' -f $_.Kind, $_.Id, $_.Into }) | Should -Be @('Name:0>', 'Merge:2>1', 'Move:0>1', 'Hide:-1>')
        $corrections | ForEach-Object { $_.Made | Should -BeOfType [DateTimeOffset] }
        $corrections[2].Photo | Should -Be (Join-Path $Photos 'a5.jpg')

        Get-FaceClusterCorrection -Path $folder | Where-Object Kind -in 'Merge', 'Move' | Undo-FaceClusterCorrection
        (Get-FaceClusterCorrection -Path $folder).Kind | Should -Be @('Name', 'Hide')
        Get-People $First $folder | Should -Be @('-1:a4', '0:a0,a1,a2,a3,a5', '1:b0,b1,b2,b3', '2:c0,c1,c2')
    }

    It 'reports CorrectionNotFound for a correction taken back already' {
        $folder = New-Export 'undone'
        Hide-FaceClusterMember -Path $folder -Photo (Join-Path $Photos 'a4.jpg')
        $hide = Get-FaceClusterCorrection -Path $folder
        $hide | Undo-FaceClusterCorrection -WhatIf
        @(Get-FaceClusterCorrection -Path $folder).Count | Should -Be 1
        $hide | Undo-FaceClusterCorrection
        $ErrorActionPreference = 'Continue'
        $errors = @($hide | Undo-FaceClusterCorrection 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'CorrectionNotFound,FaceCluster.Commands.*'
    }
}

Describe 'Corrections follow a photo by its content' {
    It 'keeps the corrections of a moved and a renamed photo through Invoke-FaceCluster -Previous' {
        $folder = Join-Path $TestDrive 'follow'
        $library = Join-Path $TestDrive 'library'
        Copy-Item -LiteralPath $Photos -Destination $library -Recurse
        $faces = $First | ForEach-Object { $f = $_.psobject.Copy(); $f.Path = Join-Path $library (Split-Path $_.Path -Leaf); $f }
        $faces | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        Move-FaceClusterMember -Path $folder -Photo (Join-Path $library 'a5.jpg') -Into 1
        Remove-FaceClusterMember -Path $folder -Id 1 -Photo (Join-Path $library 'b3.jpg')
        Hide-FaceClusterMember -Path $folder -Photo (Join-Path $library 'c2.jpg')

        # a5 moves into a subfolder, b3 and c2 are renamed.
        New-Item -ItemType Directory -Path (Join-Path $library 'beach') | Out-Null
        Move-Item -LiteralPath (Join-Path $library 'a5.jpg') -Destination (Join-Path $library 'beach/a5.jpg')
        Rename-Item -LiteralPath (Join-Path $library 'b3.jpg') -NewName 'b3-renamed.jpg'
        Rename-Item -LiteralPath (Join-Path $library 'c2.jpg') -NewName 'c2-renamed.jpg'
        $renamed = @{ 'a5.jpg' = 'beach/a5.jpg'; 'b3.jpg' = 'b3-renamed.jpg'; 'c2.jpg' = 'c2-renamed.jpg' }
        $now = $faces | ForEach-Object {
            $f = $_.psobject.Copy()
            $leaf = Split-Path $_.Path -Leaf
            if ($renamed.ContainsKey($leaf)) { $f.Path = Join-Path $library $renamed[$leaf] }
            $f
        }

        foreach ($run in 1, 2) {
            $groups = @($now | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningVariable warnings)
            $warnings | Should -BeNullOrEmpty -Because "run $run"
            $groups | ForEach-Object {
                '{0}:{1}' -f $_.Id, (($_.Photos | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) } | Sort-Object) -join ',')
            } | Sort-Object | Should -Be @('-1:b3-renamed,c2-renamed', '0:a0,a1,a2,a3,a4', '1:a5,b0,b1,b2', '2:c0,c1') -Because "run $run"
            # As Export-FaceCluster -Sync would: a fresh export of this run, its corrections.json kept.
            Get-ChildItem -LiteralPath $folder -Force | Where-Object Name -ne 'corrections.json' | Remove-Item -Recurse -Force
            $groups | Export-FaceCluster -Path $folder
        }

        $corrections = Get-FaceClusterCorrection -Path $folder
        ($corrections | Where-Object Kind -eq Move).Photo | Should -Be (Join-Path $library 'beach/a5.jpg')
        ($corrections | Where-Object Kind -eq Removal).Photo | Should -Be (Join-Path $library 'b3-renamed.jpg')
        ($corrections | Where-Object Kind -eq Hide).Photo | Should -Be (Join-Path $library 'c2-renamed.jpg')
        $corrections.Retired | Should -Not -Contain $true
    }

    It 'still retires, once, a correction whose photo is gone' {
        $folder = Join-Path $TestDrive 'gone'
        $library = Join-Path $TestDrive 'library-gone'
        Copy-Item -LiteralPath $Photos -Destination $library -Recurse
        $faces = $First | ForEach-Object { $f = $_.psobject.Copy(); $f.Path = Join-Path $library (Split-Path $_.Path -Leaf); $f }
        $faces | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        Hide-FaceClusterMember -Path $folder -Photo (Join-Path $library 'c2.jpg')
        Remove-Item -LiteralPath (Join-Path $library 'c2.jpg')
        $left = $faces | Where-Object { (Split-Path $_.Path -Leaf) -ne 'c2.jpg' }
        $null = $left | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningVariable first 3>$null
        ($first -join "`n") | Should -BeLike '*CorrectionRetired*c2.jpg*'
        $null = $left | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningVariable second 3>$null
        $second | Should -BeNullOrEmpty
        (Get-FaceClusterCorrection -Path $folder).Retired | Should -Be $true
    }
}
