BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # A photo library made of the sample photos under other names; three nights of
    # Get-FaceEncoding | Invoke-FaceCluster | Export-FaceCluster -Sync into one folder, each checked against a fresh
    # export of the same groups into an empty folder.
    $script:Library = Join-Path $TestDrive 'library'
    $script:Out = Join-Path $TestDrive 'sorted'
    $samples = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Sort-Object Name)
    foreach ($i in 0..($samples.Count - 1)) {
        $folder = Join-Path $Library ('{0}' -f (2020 + $i % 2))
        $null = New-Item -ItemType Directory -Path $folder -Force
        Copy-Item -LiteralPath $samples[$i].FullName -Destination (Join-Path $folder "IMG_$i.jpg")
    }

    function Get-Groups { @(Get-ChildItem -LiteralPath $Library -Recurse -File | Get-FaceEncoding | Invoke-FaceCluster) }

    function Get-Tree([string] $Folder) {
        # Relative path and content of every file, hidden ones too: equal trees hold the same files. The review pages
        # name their folder and the time of the export, and review/pages.json their files' times, so only their names
        # count (as in Get-TreeContent).
        Get-ChildItem -LiteralPath $Folder -Recurse -Force -File | Sort-Object FullName | ForEach-Object {
            $hash = if ($_.Extension -eq '.html' -or $_.Name -eq 'pages.json') { 'page' } else { (Get-FileHash -LiteralPath $_.FullName).Hash }
            '{0}|{1}' -f $_.FullName.Substring($Folder.Length).Replace('\', '/'), $hash
        }
    }

    function Get-Reference([object[]] $Groups, [string] $Name) {
        # What a fresh export of these groups writes.
        $folder = Join-Path $TestDrive $Name
        $Groups | Export-FaceCluster -LiteralPath $folder -ErrorAction Stop
        Get-Tree $folder
    }

    function Get-LibraryState {
        Get-ChildItem -LiteralPath $Library -Recurse -File | Sort-Object FullName |
            ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks }
    }

    # The user's own files in the export: never touched.
    $script:UserFiles = @{ 'README.txt' = 'my notes'; 'cluster_0/where.txt' = 'beach, 2019' }
    function Test-UserFiles {
        foreach ($name in $UserFiles.Keys) { Get-Content -Raw -LiteralPath (Join-Path $Out $name) | Should -Be $UserFiles[$name] }
    }
    function Get-TreeWithoutUserFiles { Get-Tree $Out | Where-Object { ($_ -split '\|')[0].TrimStart('/') -notin $UserFiles.Keys } }
}

Describe 'Export-FaceCluster -Sync, night after night' {
    It 'night 1: syncs into a new folder as a fresh export would, and says what it did' {
        $groups = Get-Groups
        $summary = $groups | Export-FaceCluster -LiteralPath $Out -Sync -ErrorAction Stop
        Get-Tree $Out | Should -Be (Get-Reference $groups 'reference-1')
        $summary.Added | Should -Be (($groups | Measure-Object -Property PhotoCount -Sum).Sum + @($groups | Where-Object { -not $_.IsDoubtful }).Count)
        $summary.People | Should -Be @($groups | Where-Object { -not $_.IsDoubtful }).Count
        ($summary.Moved, $summary.Removed, $summary.Failed, $summary.Complete) | Should -Be @(0, 0, 0, $true)
        foreach ($name in $UserFiles.Keys) { Set-Content -LiteralPath (Join-Path $Out $name) -Value $UserFiles[$name] -NoNewline }
    }

    It 'without -Sync, a changed library''s clustering is refused, writing nothing' {
        $copy = Join-Path $Library '2022/copy.jpg'
        $null = New-Item -ItemType Directory -Path (Split-Path $copy) -Force
        Copy-Item -LiteralPath (Join-Path $Library '2020/IMG_0.jpg') -Destination $copy
        try {
            $before = Get-Tree $Out
            { Get-Groups | Export-FaceCluster -LiteralPath $Out -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExportClusteringMismatch,FaceCluster.Commands.ExportFaceClusterCommand'
            Get-Tree $Out | Should -Be $before
        }
        finally { Remove-Item -LiteralPath (Split-Path $copy) -Recurse }
    }

    It 'night 2: photos added, removed, renamed and moved; killed midway, the rerun ends as a fresh export' {
        # Two new photos (the same people, different bytes), one deleted, one renamed, one moved to another folder.
        $bytes = [IO.File]::ReadAllBytes((Join-Path $Library '2020/IMG_0.jpg'))
        $null = New-Item -ItemType Directory -Path (Join-Path $Library '2022') -Force
        [IO.File]::WriteAllBytes((Join-Path $Library '2022/new-a.jpg'), [byte[]]($bytes + [byte]1))
        Copy-Item -LiteralPath (Join-Path $Library '2021/IMG_1.jpg') -Destination (Join-Path $Library '2022/new-b.jpg')
        Remove-Item -LiteralPath (Join-Path $Library '2020/IMG_2.jpg')
        Rename-Item -LiteralPath (Join-Path $Library '2021/IMG_3.jpg') -NewName 'renamed.jpg'
        Move-Item -LiteralPath (Join-Path $Library '2020/IMG_4.jpg') -Destination (Join-Path $Library '2022/IMG_4.jpg')
        $libraryBefore = Get-LibraryState
        $beforeSync = Get-Tree $Out

        # The nightly command in a child process, held still after its first file change and killed there.
        $command = "Import-Module `$env:FACECLUSTER_MODULE; Get-ChildItem -LiteralPath '$Library' -Recurse -File | Get-FaceEncoding | Invoke-FaceCluster | " +
            "Export-FaceCluster -LiteralPath '$Out' -Sync -Verbose 4>&1 | ForEach-Object { `"`$_`"; if (`"`$_`" -match '^(Move|Remove|Copy) ') { 'paused'; Start-Sleep -Seconds 300 } }"
        $child = Start-ChildPwsh $command
        try {
            $lines = [Collections.Generic.List[string]]::new()
            while ($null -ne ($line = $child.StandardOutput.ReadLine()) -and $line -ne 'paused') { $lines.Add($line) }
            $line | Should -Be 'paused' -Because ($lines -join "`n")
        }
        finally { $child.Kill(); $child.WaitForExit() }
        (Get-Content -Raw -LiteralPath (Join-Path $Out 'faces.json') | ConvertFrom-Json).complete | Should -BeFalse
        { Get-Groups | Export-FaceCluster -LiteralPath $Out -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportSyncUnfinished,FaceCluster.Commands.ExportFaceClusterCommand'

        $groups = Get-Groups
        $summary = $groups | Export-FaceCluster -LiteralPath $Out -Sync -ErrorAction Stop
        Test-UserFiles
        Get-TreeWithoutUserFiles | Should -Be (Get-Reference $groups 'reference-2')
        Get-LibraryState | Should -Be $libraryBefore
        ($summary.Failed, $summary.LeftAlone, $summary.DeletedByUser, $summary.Complete) | Should -Be @(0, 0, 0, $true)
        # Every file is counted once, and each one that was already in place, where it is now, was kept. The review page
        # (index.html, review/) is written after the sync, not by it.
        $files = @(Get-TreeWithoutUserFiles | Where-Object {
                $path = ($_ -split '\|')[0]
                $path -notin '/faces.json', '/.facecluster.lock', '/index.html' -and $path -notlike '/review/*'
            })
        $summary.Added + $summary.Moved + $summary.Updated + $summary.Kept | Should -Be $files.Count
        $summary.Kept | Should -BeGreaterOrEqual @($files | Where-Object { $_ -in $beforeSync }).Count
    }

    It 'night 3: a photo the user deleted stays deleted, a file the user changed is left, with an error' {
        $groups = Get-Groups
        $folder = Join-Path $Out 'cluster_0'
        $photos = @(Get-ChildItem -LiteralPath $folder -File -Filter *.jpg | Where-Object Name -ne 'representative.jpg' | Sort-Object Name)
        $photos.Count | Should -BeGreaterThan 1
        $deleted = $photos[0].FullName
        $changed = $photos[1].FullName
        Remove-Item -LiteralPath $deleted
        [IO.File]::AppendAllText($changed, 'edited')
        $changedHash = (Get-FileHash -LiteralPath $changed).Hash

        $summary = $groups | Export-FaceCluster -LiteralPath $Out -Sync -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1 |
            Tee-Object -Variable stream | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
        Test-Path -LiteralPath $deleted | Should -BeFalse
        (Get-FileHash -LiteralPath $changed).Hash | Should -Be $changedHash
        $errs.FullyQualifiedErrorId | Should -Be @('SyncFileModified,FaceCluster.Commands.ExportFaceClusterCommand')
        $errs[0].TargetObject | Should -Be $changed
        @($stream | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like "*$(Split-Path -Leaf $deleted)*deleted*" }).Count | Should -Be 1
        ($summary.DeletedByUser, $summary.LeftAlone, $summary.Added, $summary.Moved, $summary.Removed, $summary.Complete) | Should -Be @(1, 1, 0, 0, 0, $true)
        Test-UserFiles
        # Everything else is what a fresh export writes (faces.json records no stamp for the two files, so it and the
        # review's key of it, review/export.js, differ).
        $skip = @('/faces.json', '/review/export.js') + @($deleted, $changed | ForEach-Object { $_.Substring($Out.Length).Replace('\', '/') })
        Get-TreeWithoutUserFiles | Where-Object { ($_ -split '\|')[0] -notin $skip } |
            Should -Be (Get-Reference $groups 'reference-3' | Where-Object { ($_ -split '\|')[0] -notin $skip })
    }

    It '-WhatIf lists the differences (a renamed photo) and writes nothing' {
        Rename-Item -LiteralPath (Join-Path $Library '2022/new-b.jpg') -NewName 'new-c.jpg'
        $groups = Get-Groups
        $before = Get-Tree $Out
        # What-if lines go to the host: run it in a child process and read them there.
        $saved = Join-Path $TestDrive 'groups.xml'
        $groups | Export-Clixml -LiteralPath $saved
        $whatIf = (Invoke-ChildPwsh "Import-Module `$env:FACECLUSTER_MODULE; Import-Clixml -LiteralPath '$saved' | Export-FaceCluster -LiteralPath '$Out' -Sync -WhatIf").Output
        Get-Tree $Out | Should -Be $before
        # Only the renamed photo's step: its file is renamed too, not copied again.
        $steps = @($whatIf -split '\r?\n' | Where-Object { $_ -match 'Performing the operation "(Move photo|Remove ''|Copy photo|Replace '')' })
        $steps.Count | Should -BeGreaterThan 0
        $steps | Where-Object { $_ -notmatch "Move photo '[^']*new-c\.jpg' from 'cluster_\d+/new-b\.jpg'" } | Should -BeNullOrEmpty
    }
}

Describe 'Export-FaceCluster -Sync, when the library is only half there' {
    BeforeAll {
        # The nightly command over a library of which one photo is local and the rest on a share that is not mounted
        # tonight (moved out of the library's folder, as an unmounted share's files vanish from its listing).
        $script:Half = Join-Path $TestDrive 'half'
        $script:HalfOut = Join-Path $TestDrive 'half-sorted'
        $script:Share = Join-Path $Half 'share'
        $script:Offline = Join-Path $TestDrive 'share-offline'
        $samples = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Sort-Object Name)
        $null = New-Item -ItemType Directory -Path (Join-Path $Half 'local'), $Share
        Copy-Item -LiteralPath $samples[0].FullName -Destination (Join-Path $Half 'local')
        $samples | Select-Object -Skip 1 | Copy-Item -Destination $Share
        $script:HalfCount = $samples.Count

        function Get-HalfGroups { @(Get-ChildItem -LiteralPath $Half -Recurse -File | Get-FaceEncoding | Invoke-FaceCluster) }

        function Get-Bytes([string] $Folder) {
            # Every file, hidden ones and the review pages too, with its content and time: byte for byte.
            Get-ChildItem -LiteralPath $Folder -Recurse -Force -File | Sort-Object FullName | ForEach-Object {
                '{0}|{1}|{2}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks
            }
        }

        $null = Get-HalfGroups | Export-FaceCluster -LiteralPath $HalfOut -Sync -ErrorAction Stop
        Move-Item -LiteralPath $Share -Destination $Offline
    }

    It 'refuses the sync of the one readable photo with ExportWouldShrink, writing nothing, and says what would go' {
        $groups = Get-HalfGroups
        @($groups.Photos | Sort-Object -Unique).Count | Should -Be 1
        $before = Get-Bytes $HalfOut
        $refused = { $groups | Export-FaceCluster -LiteralPath $HalfOut -Sync -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportWouldShrink,FaceCluster.Commands.ExportFaceClusterCommand' -PassThru
        $refused.TargetObject | Should -Be $HalfOut
        $refused.Exception.Shrink.Photos | Should -Be $HalfCount
        @($refused.Exception.Shrink.RemovedPhotos) | Should -Be @(Get-ChildItem -LiteralPath $Offline -File | Sort-Object Name |
                ForEach-Object { Join-Path $Share $_.Name })
        $refused.Exception.Message | Should -Match "take $($HalfCount - 1) of its $HalfCount photos out"
        $refused.Exception.Message | Should -Match '-AllowShrink'
        # A preview is refused the same way.
        { $groups | Export-FaceCluster -LiteralPath $HalfOut -Sync -WhatIf } |
            Should -Throw -ErrorId 'ExportWouldShrink,FaceCluster.Commands.ExportFaceClusterCommand'
        Get-Bytes $HalfOut | Should -Be $before
    }

    It 'goes ahead with -AllowShrink and ends as a fresh export of the one photo' {
        $groups = Get-HalfGroups
        $summary = $groups | Export-FaceCluster -LiteralPath $HalfOut -Sync -AllowShrink -ErrorAction Stop
        ($summary.Failed, $summary.Complete) | Should -Be @(0, $true)
        $summary.Removed | Should -BeGreaterOrEqual ($HalfCount - 1)
        Get-Tree $HalfOut | Should -Be (Get-Reference $groups 'half-reference')
    }

    It 'brings every photo back once the share is mounted again' {
        Move-Item -LiteralPath $Offline -Destination $Share
        $groups = Get-HalfGroups
        $summary = $groups | Export-FaceCluster -LiteralPath $HalfOut -Sync -ErrorAction Stop
        ($summary.Removed, $summary.Failed, $summary.Complete) | Should -Be @(0, 0, $true)
        Get-Tree $HalfOut | Should -Be (Get-Reference $groups 'half-reference-2')
    }
}
