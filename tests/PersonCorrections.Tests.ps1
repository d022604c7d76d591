# People across runs: Invoke-FaceCluster -Previous with Rename-FaceCluster, Merge-FaceCluster,
# Remove-FaceClusterMember and changes made in a file manager, over three runs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    # Synthetic encodings (property bags, as from ConvertFrom-Json) of real photos: person P's faces lie near
    # axis P of an 8-dimensional space, so with -Epsilon 0.3 each person is one cluster and no two people merge.
    $script:Photos = Join-Path $TestDrive 'photos'
    New-Item -ItemType Directory -Path $Photos | Out-Null
    function New-Face([string] $Name, [int] $Axis, [int] $N) { New-SyntheticFace (Join-Path $Photos "$Name.jpg") $Axis $N }
    function New-Faces([string] $Prefix, [int] $Axis, [int[]] $Numbers) { foreach ($n in $Numbers) { New-Face "$Prefix$n" $Axis $n } }
    function Reset-Export([string] $Folder) {
        # Stands in for Export-FaceCluster -Sync: a fresh export into the folder, keeping its corrections.json.
        Get-ChildItem -LiteralPath $Folder -Force | Where-Object Name -ne 'corrections.json' | Remove-Item -Recurse -Force
    }
    function Get-People($Groups) {
        $Groups | Where-Object { -not $_.IsDoubtful } | ForEach-Object {
            [pscustomobject]@{ Id = $_.Id; Name = $_.Name; Label = $_.Label; Photos = ($_.Photos | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) } | Sort-Object) -join ',' }
        } | Sort-Object Id
    }

    $script:Out = Join-Path $TestDrive 'out'
    $script:First = @(New-Faces a 0 (0..5)) + @(New-Faces b 1 (0..3)) + @(New-Faces c 2 (0..2))
    $script:Later = $First + @(New-Faces b 1 4) + @(New-Faces d 3 (0..2))
}

Describe 'People across runs' {
    It 'keeps ids, names, merges and removed faces over two reruns, from cmdlets and from a file manager' {
        $run1 = @($First | Invoke-FaceCluster -Epsilon 0.3)
        (Get-People $run1).Photos | Should -Be @('a0,a1,a2,a3,a4,a5', 'b0,b1,b2,b3', 'c0,c1,c2')
        $run1 | Export-FaceCluster -Path $Out

        Rename-FaceCluster -Path $Out -Id 0 -Name 'Ann:Lee'
        Merge-FaceCluster -Path $Out -Id 2 -Into 0
        Remove-FaceClusterMember -Path $Out -Id 0 -Photo (Join-Path $Out 'cluster_0/a5.jpg')
        Rename-Item -LiteralPath (Join-Path $Out 'cluster_1') -NewName 'Bob'       # a file manager's rename
        Remove-Item -LiteralPath (Join-Path $Out 'cluster_0/a4.jpg')                # and delete

        $expected = @(
            [pscustomobject]@{ Id = 0; Name = 'Ann:Lee'; Label = 'Ann_Lee'; Photos = 'a0,a1,a2,a3,c0,c1,c2' }
            [pscustomobject]@{ Id = 1; Name = 'Bob'; Label = 'Bob'; Photos = 'b0,b1,b2,b3,b4' }
            [pscustomobject]@{ Id = 3; Name = $null; Label = 'cluster_3'; Photos = 'd0,d1,d2' }
            [pscustomobject]@{ Id = 4; Name = $null; Label = 'cluster_4'; Photos = 'a4,a5' }
        ) | ConvertTo-Json
        foreach ($run in 2, 3) {
            $run2 = @($Later | Invoke-FaceCluster -Epsilon 0.3 -Previous $Out -WarningVariable warnings)
            Get-People $run2 | ConvertTo-Json | Should -Be $expected -Because "run $run"
            $warnings | Should -BeNullOrEmpty -Because "run $run"
            Reset-Export $Out
            $run2 | Export-FaceCluster -Path $Out
            (Get-ChildItem -LiteralPath $Out -Directory).Name | Where-Object { $_ -ne 'review' } | Sort-Object | Should -Be @('Ann_Lee', 'Bob', 'cluster_3', 'cluster_4')
            Join-Path $Out 'Ann_Lee/a4.jpg' | Should -Not -Exist
            $manifest = Get-Content -Raw -LiteralPath (Join-Path $Out 'faces.json') | ConvertFrom-Json
            ($manifest.clusters | Where-Object id -eq 0).name | Should -Be 'Ann:Lee'
        }

        $corrections = Get-Content -Raw -LiteralPath (Join-Path $Out 'corrections.json') | ConvertFrom-Json
        $corrections.names | ForEach-Object { "$($_.id)=$($_.name)" } | Should -Be @('0=Ann:Lee', '1=Bob')
        $corrections.merges | ForEach-Object { "$($_.id)>$($_.into)" } | Should -Be '2>0'
        $corrections.removals | ForEach-Object { "$($_.id):$([IO.Path]::GetFileName($_.path))#$($_.faceIndex)" } | Sort-Object | Should -Be @('0:a4.jpg#0', '0:a5.jpg#0')
        $corrections.nextPersonId | Should -Be 5
    }

    It 'reports a split and a merge of earlier people as warnings and in faces.json' {
        $folder = Join-Path $TestDrive 'split'
        # Earlier, person a and person b were one cluster (a huge threshold); now they part.
        $First | Invoke-FaceCluster -Epsilon 1.9 -AllowSamePhoto | Export-FaceCluster -Path $folder
        $groups = @($First | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningVariable warnings 3>$null)
        ($warnings -join "`n") | Should -BeLike '*PersonSplit*'
        @($groups | Where-Object { $null -ne $_.SplitFromId }).Count | Should -BeGreaterThan 0
        Reset-Export $folder
        $groups | Export-FaceCluster -Path $folder
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $folder 'faces.json') | ConvertFrom-Json
        @($manifest.clusters | Where-Object { $null -ne $_.splitFromId }).Count | Should -BeGreaterThan 0
    }

    It 'keeps Name and SplitFromId in copies from Export-Clixml, which export the same faces.json' {
        $folder = Join-Path $TestDrive 'copies'
        $First | Invoke-FaceCluster -Epsilon 1.9 -AllowSamePhoto | Export-FaceCluster -Path $folder
        Rename-FaceCluster -Path $folder -Id 0 -Name 'Ann:Lee'
        # Persons b and c now merge (c moves to b's axis) and a splits off: copies keep what the originals say.
        $moved = $First | ForEach-Object {
            $face = $_.psobject.Copy()
            if ($face.Path -like '*c?.jpg') { $face.Vector = [float[]]@(0, 1, 0, 0, 0.1, 0, 0, 0) }
            $face
        }
        $groups = @($moved | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningAction SilentlyContinue)
        $groups | Export-Clixml -LiteralPath (Join-Path $TestDrive 'groups.clixml')
        $copies = @(Import-Clixml -LiteralPath (Join-Path $TestDrive 'groups.clixml'))
        $copies.Name | Should -Be $groups.Name
        ($copies | ForEach-Object { "$($_.SplitFromId)" }) | Should -Be ($groups | ForEach-Object { "$($_.SplitFromId)" })
        $groups | Export-FaceCluster -Path (Join-Path $TestDrive 'direct')
        $copies | Export-FaceCluster -Path (Join-Path $TestDrive 'copied')
        Get-Content -Raw -LiteralPath (Join-Path $TestDrive 'copied/faces.json') |
            Should -BeExactly (Get-Content -Raw -LiteralPath (Join-Path $TestDrive 'direct/faces.json'))
        (Get-Content -Raw -LiteralPath (Join-Path $TestDrive 'copied/faces.json') | ConvertFrom-Json).clusters.name | Should -Contain 'Ann:Lee'
    }

    It 'reports a correction about a person that no longer exists, and goes on' {
        $folder = Join-Path $TestDrive 'stale'
        $First | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        Rename-FaceCluster -Path $folder -Id 2 -Name Cy
        Reset-Export $folder
        # Person 2 (c) is gone from the next export: its name is stale.
        $First | Where-Object { $_.Path -notlike '*c?.jpg' } | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        $groups = @($First | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningVariable warnings 3>$null)
        ($warnings -join "`n") | Should -BeLike '*CorrectionStale*Cy*'
        $groups.Count | Should -Be 3
    }

    It 'writes nothing with -WhatIf, and Invoke-FaceCluster -WhatIf records no folder change' {
        $folder = Join-Path $TestDrive 'whatif'
        $First | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder
        Rename-FaceCluster -Path $folder -Id 1 -Name Bob -WhatIf
        Merge-FaceCluster -Path $folder -Id 1 -Into 0 -WhatIf
        Remove-FaceClusterMember -Path $folder -Id 0 -Photo (Join-Path $Photos 'a1.jpg') -WhatIf
        Join-Path $folder 'corrections.json' | Should -Not -Exist
        Remove-Item -LiteralPath (Join-Path $folder 'cluster_0/a1.jpg')
        $groups = @($First | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WhatIf)
        ($groups | Where-Object Id -eq 0).Photos | Should -Not -Contain (Join-Path $Photos 'a1.jpg')
        Join-Path $folder 'corrections.json' | Should -Not -Exist
    }
}

Describe 'The correction cmdlets' {
    BeforeAll {
        $script:Export = Join-Path $TestDrive 'cmdlets'
        $First | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $Export
    }

    It 'records a name, a merge and a removal and writes them with -PassThru' {
        (Rename-FaceCluster -Path $Export -Id 1 -Name '  Bob  ' -PassThru).Name | Should -Be 'Bob'
        (Merge-FaceCluster -LiteralPath $Export -Id 2 -Into 1 -PassThru).Into | Should -Be 1
        $removed = @(Remove-FaceClusterMember -Path $Export -Id 0 -Photo (Join-Path $Photos 'a2.jpg') -FaceIndex 0 -PassThru)
        $removed.Count | Should -Be 1
        $removed[0].Path | Should -Be (Join-Path $Photos 'a2.jpg')
        [pscustomobject]@{ Path = $Export; Id = 1; Name = 'Robert' } | Rename-FaceCluster
        (Get-Content -Raw -LiteralPath (Join-Path $Export 'corrections.json') | ConvertFrom-Json).names.name | Should -Be 'Robert'
    }

    It 'reports <ErrorId> without stopping' -ForEach @(
        @{ ErrorId = 'PersonNotFound'; Command = { Rename-FaceCluster -Path $Export -Id 9 -Name X } }
        @{ ErrorId = 'PersonNotFound'; Command = { Remove-FaceClusterMember -Path $Export -Id 1 -Photo (Join-Path $Photos 'a0.jpg') } }
        @{ ErrorId = 'InvalidCorrection'; Command = { Merge-FaceCluster -Path $Export -Id 1 -Into 1 } }
        @{ ErrorId = 'InvalidCorrection'; Command = { Rename-FaceCluster -Path $Export -Id 1 -Name '??' } }
        @{ ErrorId = 'ExportNotFound'; Command = { Rename-FaceCluster -Path $Photos -Id 1 -Name X } }
    ) {
        $ErrorActionPreference = 'Continue' # as at a console: a non-terminating error goes on (the test run sets Stop)
        $errors = @(& $Command 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,FaceCluster.Commands.*"
    }

    It 'completes -Id with the export''s people' {
        $line = "Rename-FaceCluster -LiteralPath '$Export' -Id "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $completions.CompletionText | Should -Be @('0', '1', '2')
    }
}
