BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # Sources live in TestDrive so the test can prove they are left untouched. Two different files share a
    # name (a/group.jpg and b/group.jpg) to prove they never overwrite each other.
    $script:Sources = Join-Path $TestDrive 'photos'
    foreach ($d in 'a', 'b') { $null = New-Item -ItemType Directory -Path (Join-Path $Sources $d) -Force }
    Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Copy-Item -Destination (Join-Path $Sources 'a')
    Copy-Item -LiteralPath (Join-Path $SamplesDirectory 'sample1.jpg') -Destination (Join-Path $Sources 'a/group.jpg')
    $bytes = [IO.File]::ReadAllBytes((Join-Path $SamplesDirectory 'sample1.jpg'))
    # The same picture with an extra trailing byte: a different file that decodes identically.
    [IO.File]::WriteAllBytes((Join-Path $Sources 'b/group.jpg'), [byte[]]($bytes + [byte]0))
    $script:Encodings = @(Get-ChildItem -LiteralPath $Sources -Recurse -File | Get-FaceEncoding)
    $script:Groups = @($Encodings | Invoke-FaceCluster)

    function Get-SourceState {
        Get-ChildItem -LiteralPath $Sources -Recurse -File |
            ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks }
    }

    function Get-FolderState([string] $Folder) {
        # Every entry (hidden ones too) with its content and time: equal states mean nothing was written.
        Get-ChildItem -LiteralPath $Folder -Recurse -Force | Sort-Object FullName | ForEach-Object {
            # The lock file cannot be read while an export holds it; it is always empty.
            $hash = if ($_.PSIsContainer) { 'folder' } elseif ($_.Name -eq '.facecluster.lock') { $_.Length } else { (Get-FileHash -LiteralPath $_.FullName).Hash }
            '{0}|{1}|{2}' -f $_.FullName.Substring($Folder.Length), $hash, $_.LastWriteTimeUtc.Ticks
        }
    }
}

Describe 'Export-FaceCluster' {
    It 'writes one folder per person, the doubtful folder and a manifest, and leaves sources untouched' {
        $before = Get-SourceState
        $out = Join-Path $TestDrive 'out1'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        (Get-SourceState) | Should -Be $before

        foreach ($group in $Groups) {
            $folder = Join-Path $out $group.Label
            Test-Path -LiteralPath $folder | Should -BeTrue
            $photos = @(Get-ChildItem -LiteralPath $folder -File | Where-Object Name -ne 'representative.jpg')
            $photos.Count | Should -Be $group.PhotoCount
            if (-not $group.IsDoubtful) { Test-Path -LiteralPath (Join-Path $folder 'representative.jpg') | Should -BeTrue }
        }

        $manifest = Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json
        $total = ($Groups | ForEach-Object FaceCount | Measure-Object -Sum).Sum
        @($manifest.faces).Count | Should -Be $total
    }

    It 'writes each doubtful face''s nearest cluster and distance to faces.json, and none for the others' {
        $out = Join-Path $TestDrive 'out-nearest'
        $Groups | Export-FaceCluster -LiteralPath $out -ErrorAction Stop
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json
        $doubtful = @($Groups | Where-Object IsDoubtful | ForEach-Object Members)
        $doubtful.Count | Should -BeGreaterThan 0
        foreach ($member in $doubtful) {
            $face = $manifest.faces | Where-Object { $_.path -eq $member.Face.Path -and $_.faceIndex -eq $member.Face.FaceIndex }
            $face.clusterId | Should -Be -1
            $face.nearestClusterId | Should -Be $member.NearestClusterId
            $face.nearestClusterId | Should -BeIn ($Groups | Where-Object { -not $_.IsDoubtful }).Id
            $face.nearestClusterDistance | Should -Be $member.NearestClusterDistance
        }

        $clustered = @($manifest.faces | Where-Object clusterId -ge 0)
        $clustered.Count | Should -BeGreaterThan 0
        $clustered | Where-Object { $_.PSObject.Properties.Name -match '^nearestCluster' } | Should -BeNullOrEmpty
    }

    It 'keeps two different sources with the same name apart' {
        $out = Join-Path $TestDrive 'out-names'
        $Groups | Export-FaceCluster -LiteralPath $out
        $withBoth = $Groups | Where-Object { ($_.Photos | Split-Path -Leaf | Where-Object { $_ -eq 'group.jpg' }).Count -eq 2 } | Select-Object -First 1
        $withBoth | Should -Not -BeNullOrEmpty
        $names = @(Get-ChildItem -LiteralPath (Join-Path $out $withBoth.Label) -File -Filter 'group*.jpg')
        $names.Count | Should -Be 2
        $hashes = $names | ForEach-Object { (Get-FileHash -LiteralPath $_.FullName).Hash } | Sort-Object
        $expected = 'a', 'b' | ForEach-Object { (Get-FileHash -LiteralPath (Join-Path $Sources "$_/group.jpg")).Hash } | Sort-Object
        $hashes | Should -Be $expected
    }

    It '-WhatIf writes nothing' {
        $out = Join-Path $TestDrive 'out-whatif'
        $Groups | Export-FaceCluster -Path $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'a rerun completes an interrupted export without touching what is in place' {
        $out = Join-Path $TestDrive 'out-rerun'
        $Groups | Export-FaceCluster -Path $out
        $first = Join-Path $out $Groups[0].Label
        $victim = Get-ChildItem -LiteralPath $first -File | Where-Object Name -ne 'representative.jpg' | Select-Object -First 1
        $kept = Get-ChildItem -LiteralPath $first -File | Where-Object Name -ne $victim.Name | Select-Object -First 1
        $keptTime = $kept.LastWriteTimeUtc
        Remove-Item -LiteralPath $victim.FullName
        # What a killed process leaves behind: half-written temporaries, also from the thumbnails.
        Set-Content -LiteralPath (Join-Path $first '.fc-tmp-interrupted') -Value 'partial'
        Set-Content -LiteralPath (Join-Path $out 'review/thumbnails/.fc-tmp-interrupted') -Value 'partial'

        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        Test-Path -LiteralPath $victim.FullName | Should -BeTrue
        (Get-Item -LiteralPath $kept.FullName).LastWriteTimeUtc | Should -Be $keptTime
        @(Get-ChildItem -LiteralPath $out -Recurse -Force -Filter '.fc-tmp-*').Count | Should -Be 0
    }

    It 'never overwrites a file it did not write' {
        $out = Join-Path $TestDrive 'out-conflict'
        $Groups | Export-FaceCluster -Path $out
        $target = Get-ChildItem -LiteralPath (Join-Path $out $Groups[0].Label) -File | Where-Object Name -ne 'representative.jpg' | Select-Object -First 1
        Set-Content -LiteralPath $target.FullName -Value 'mine, not yours'
        $Groups | Export-FaceCluster -Path $out -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-Content -LiteralPath $target.FullName | Should -Be 'mine, not yours'
        $errs.FullyQualifiedErrorId | Should -Contain 'ExportConflict,FaceCluster.Commands.ExportFaceClusterCommand'
    }

    It 'refuses a non-empty folder of other things unless -Force, and then keeps them' {
        $out = Join-Path $TestDrive 'out-busy'
        $null = New-Item -ItemType Directory -Path $out
        Set-Content -LiteralPath (Join-Path $out 'keep.txt') -Value 'keep me'
        { $Groups | Export-FaceCluster -Path $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'OutputFolderNotEmpty,FaceCluster.Commands.ExportFaceClusterCommand'
        $Groups | Export-FaceCluster -Path $out -Force -ErrorAction Stop
        Get-Content -LiteralPath (Join-Path $out 'keep.txt') | Should -Be 'keep me'
        Test-Path -LiteralPath (Join-Path $out 'faces.json') | Should -BeTrue
    }

    It '-Force never overwrites the user''s own index.html, style sheet or pages, nor removes their pages' {
        $out = Join-Path $TestDrive 'out-users-pages'
        $users = 'index.html', 'review/review.css', 'review/doubtful.html', 'review/notes.html'
        foreach ($name in $users) {
            $null = New-Item -ItemType Directory -Path (Split-Path (Join-Path $out $name)) -Force
            Set-Content -LiteralPath (Join-Path $out $name) -Value "the user's $name"
        }
        $Groups | Export-FaceCluster -Path $out -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $Groups | Export-FaceCluster -Path $out -ErrorVariable errs2 -ErrorAction SilentlyContinue
        foreach ($name in $users) { Get-Content -LiteralPath (Join-Path $out $name) | Should -Be "the user's $name" }
        $left = @($errs | Where-Object FullyQualifiedErrorId -eq 'ReviewFileLeftAlone,FaceCluster.Commands.ExportFaceClusterCommand')
        $left.TargetObject | Sort-Object | Should -Be (@('index.html', 'review/review.css') + @(if ($Groups.IsDoubtful -contains $true) { 'review/doubtful.html' }) |
            ForEach-Object { Join-Path $out $_ } | Sort-Object)
        Test-Path -LiteralPath (Join-Path $out ('review/person-{0}.html' -f $Groups[0].Id)) | Should -BeTrue
    }

    It 'exports into an output folder that is a link to a real folder' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'symbolic links need a privilege on Windows'; return }
        $real = Join-Path $TestDrive 'real-out'
        $null = New-Item -ItemType Directory -Path $real
        $out = Join-Path $TestDrive 'out-link'
        $null = New-Item -ItemType SymbolicLink -Path $out -Target $real
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        Test-Path -LiteralPath (Join-Path $real 'index.html') | Should -BeTrue
        (Get-Content -Raw -LiteralPath (Join-Path $real 'faces.json') | ConvertFrom-Json).complete | Should -BeTrue
        (Get-Item -LiteralPath $out).LinkTarget | Should -Be $real
    }

    It 'never follows a person folder replaced by a link to the photos, through a rename and -Sync' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'symbolic links need a privilege on Windows'; return }
        $out = Join-Path $TestDrive 'out-person-link'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        $person = $Groups | Where-Object { -not $_.IsDoubtful } | Select-Object -First 1
        $folder = Join-Path $out $person.Label
        Remove-Item -LiteralPath $folder -Recurse
        $null = New-Item -ItemType SymbolicLink -Path $folder -Target (Join-Path $Sources 'a')
        $before = Get-SourceState
        Rename-FaceCluster -Path $out -Id $person.Id -Name 'Alice'
        $after = @($Encodings | Invoke-FaceCluster -Previous $out)
        $summary = $after | Export-FaceCluster -Path $out -Sync -ErrorVariable errs -ErrorAction SilentlyContinue
        (Get-SourceState) | Should -Be $before
        (Get-Item -LiteralPath $folder).LinkTarget | Should -Be (Join-Path $Sources 'a')
        $errs.FullyQualifiedErrorId | Should -Be 'ExportLinkLeftAlone,FaceCluster.Commands.ExportFaceClusterCommand'
        $errs[0].TargetObject | Should -Be $folder
        $summary.Complete | Should -BeTrue
        $alice = $after | Where-Object Label -eq 'Alice'
        @(Get-ChildItem -LiteralPath (Join-Path $out 'Alice') -File).Count | Should -Be ($alice.PhotoCount + 1) -Because 'its photos and representative.jpg'
        Test-Path -LiteralPath (Join-Path $out 'index.html') | Should -BeTrue
    }

    It '-Mode <Mode> links to the sources' -ForEach @(
        @{ Mode = 'HardLink' }
        @{ Mode = 'SymbolicLink' }
    ) {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'checks inodes and link targets the Unix way'; return }
        $out = Join-Path $TestDrive "out-$Mode"
        $Groups | Export-FaceCluster -Path $out -Mode $Mode -ErrorAction Stop
        $placed = Get-ChildItem -LiteralPath (Join-Path $out $Groups[0].Label) -File | Where-Object Name -ne 'representative.jpg' | Select-Object -First 1
        if ($Mode -eq 'SymbolicLink') {
            $placed.LinkTarget | Should -Not -BeNullOrEmpty
            (Get-FileHash -LiteralPath $placed.FullName).Hash | Should -Be (Get-FileHash -LiteralPath $placed.LinkTarget).Hash
        }
        else {
            $placed.LinkTarget | Should -BeNullOrEmpty
            [int](stat -c %h $placed.FullName) | Should -BeGreaterThan 1
        }
    }

    It '-PassThru writes the group folders' {
        $out = Join-Path $TestDrive 'out-passthru'
        $folders = @($Groups | Export-FaceCluster -Path $out -PassThru)
        $folders.Count | Should -Be $Groups.Count
        $folders | Should -BeOfType [IO.DirectoryInfo]
        $folders.Name | Should -Be $Groups.Label
    }

    It 'refuses a file as the output folder' {
        $file = Join-Path $TestDrive 'a-file.txt'
        Set-Content -LiteralPath $file -Value x
        { $Groups | Export-FaceCluster -Path $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'OutputPathIsFile,FaceCluster.Commands.ExportFaceClusterCommand'
    }

    It 'stops with ExportFailed, before any other step, when the output folder cannot be created' {
        $file = Join-Path $TestDrive 'not-a-folder.txt'
        Set-Content -LiteralPath $file -Value x
        { $Groups | Export-FaceCluster -Path (Join-Path $file 'out') -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'ExportFailed,FaceCluster.Commands.ExportFaceClusterCommand'
    }

    It 'the same command finishes an export that stopped before marking faces.json complete' {
        $out = Join-Path $TestDrive 'out-unfinished'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        $manifestPath = Join-Path $out 'faces.json'
        (Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json).complete | Should -BeTrue
        # What a kill halfway leaves: the manifest written first, still marked incomplete, and a folder not yet filled.
        (Get-Content -Raw -LiteralPath $manifestPath) -replace '"complete": true', '"complete": false' | Set-Content -LiteralPath $manifestPath -NoNewline
        $folder = Join-Path $out $Groups[0].Label
        Get-ChildItem -LiteralPath $folder -File | Remove-Item

        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        (Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json).complete | Should -BeTrue
        @(Get-ChildItem -LiteralPath $folder -File | Where-Object Name -ne 'representative.jpg').Count | Should -Be $Groups[0].PhotoCount
    }

    It 'refuses, writing nothing, a different clustering into an earlier export' {
        # Four more copies of one photo: its people now appear five times each, outnumber cluster_0 and renumber it.
        $more = Join-Path $TestDrive 'more'
        $null = New-Item -ItemType Directory -Path $more
        $bytes = [IO.File]::ReadAllBytes((Join-Path $SamplesDirectory 'sample6.jpg'))
        foreach ($n in 1..4) { [IO.File]::WriteAllBytes((Join-Path $more "copy$n.jpg"), [byte[]]($bytes + [byte[]]::new($n))) }
        $renumbered = @(@($Encodings) + @(Get-ChildItem -LiteralPath $more -File | Get-FaceEncoding) | Invoke-FaceCluster)
        $renumbered[0].FaceCount | Should -BeGreaterThan $Groups[0].FaceCount

        $out = Join-Path $TestDrive 'out-renumbered'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        $before = Get-FolderState $out
        { $renumbered | Export-FaceCluster -Path $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportClusteringMismatch,FaceCluster.Commands.ExportFaceClusterCommand'
        { $renumbered | Export-FaceCluster -Path $out -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportClusteringMismatch,FaceCluster.Commands.ExportFaceClusterCommand'
        Get-FolderState $out | Should -Be $before
    }

    It 'refuses, writing nothing, an empty run into an earlier export' {
        $out = Join-Path $TestDrive 'out-empty-run'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        $before = Get-FolderState $out
        { @() | Export-FaceCluster -Path $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'NothingToExport,FaceCluster.Commands.ExportFaceClusterCommand'
        { @() | Export-FaceCluster -Path $out -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'NothingToExport,FaceCluster.Commands.ExportFaceClusterCommand'
        Get-FolderState $out | Should -Be $before
    }

    It 'an empty run into a new folder writes an empty manifest' {
        $out = Join-Path $TestDrive 'out-empty-new'
        @() | Export-FaceCluster -Path $out -ErrorAction Stop
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json
        @($manifest.faces).Count | Should -Be 0
        $manifest.complete | Should -BeTrue
    }

    It 'fails with ExportLocked while another export holds the folder' {
        $out = Join-Path $TestDrive 'out-locked'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        $lock = [IO.File]::Open((Join-Path $out '.facecluster.lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $before = Get-FolderState $out
            { $Groups | Export-FaceCluster -Path $out -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExportLocked,FaceCluster.Commands.ExportFaceClusterCommand'
            Get-FolderState $out | Should -Be $before
        }
        finally { $lock.Dispose() }
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
    }

    It 'refuses, writing nothing, another -Mode into an earlier export' {
        $out = Join-Path $TestDrive 'out-mode'
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        $before = Get-FolderState $out
        { $Groups | Export-FaceCluster -Path $out -Mode HardLink -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportModeMismatch,FaceCluster.Commands.ExportFaceClusterCommand'
        Get-FolderState $out | Should -Be $before
        (Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json).mode | Should -Be 'copy'
    }

    It 'a second process holding the folder makes the export fail with ExportLocked until it is killed' {
        $out = Join-Path $TestDrive 'out-two-processes'
        $null = New-Item -ItemType Directory -Path $out
        $lockPath = Join-Path $out '.facecluster.lock'
        $holder = Start-ChildPwsh "`$l = [IO.File]::Open('$lockPath', 'OpenOrCreate', 'ReadWrite', 'None'); 'locked'; Start-Sleep -Seconds 120"
        try {
            $holder.StandardOutput.ReadLine() | Should -Be 'locked'
            { $Groups | Export-FaceCluster -Path $out -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExportLocked,FaceCluster.Commands.ExportFaceClusterCommand'
            Test-Path -LiteralPath (Join-Path $out 'faces.json') | Should -BeFalse
        }
        finally { $holder.Kill(); $holder.WaitForExit() }
        # The system releases a killed process's lock.
        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        (Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json).complete | Should -BeTrue
    }

    It 'the same command finishes an export whose process was killed, wherever the kill landed' {
        $reference = Join-Path $TestDrive 'out-kill-reference'
        $Groups | Export-FaceCluster -Path $reference -ErrorAction Stop
        $out = Join-Path $TestDrive 'out-killed'
        $manifest = Join-Path $out 'faces.json'
        $exporter = Start-ChildPwsh "Import-Module `$env:FACECLUSTER_MODULE; Get-ChildItem -LiteralPath '$Sources' -Recurse -File | Get-FaceEncoding | Invoke-FaceCluster | Export-FaceCluster -LiteralPath '$out'"
        try {
            # Kill as soon as the first photo is in place (faces.json, marked incomplete, was written before it).
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            while (-not ((Test-Path -LiteralPath $out) -and (Get-ChildItem -LiteralPath $out -Recurse -File -Filter *.jpg)) -and
                -not $exporter.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 2 }
        }
        finally { $exporter.Kill(); $exporter.WaitForExit() }
        @(Get-ChildItem -LiteralPath $out -Recurse -File -Filter *.jpg).Count | Should -BeGreaterThan 0

        $Groups | Export-FaceCluster -Path $out -ErrorAction Stop
        Get-TreeContent $out | Should -Be (Get-TreeContent $reference)
        (Get-Content -Raw -LiteralPath $manifest | ConvertFrom-Json).complete | Should -BeTrue
    }
}

Describe 'Export-FaceCluster -EncodingError and the clustering settings on the review page' {
    BeforeAll {
        # Two samples, a JPEG cut short and a text file named .jpg, made here; names that need escaping in HTML.
        $script:Library = Join-Path $TestDrive "library & 'friends'"
        $null = New-Item -ItemType Directory -Path $Library
        Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Select-Object -First 2 | Copy-Item -Destination $Library
        $bytes = [IO.File]::ReadAllBytes((Join-Path $SamplesDirectory 'sample1.jpg'))
        $script:Truncated = Join-Path $Library 'cut & short.jpg'
        [IO.File]::WriteAllBytes($Truncated, $bytes[0..($bytes.Length / 3)])
        $script:Text = Join-Path $Library 'notes.jpg'
        Set-Content -LiteralPath $Text -Value 'this is not a photo'

        $script:Faces = @(Get-ChildItem -LiteralPath $Library -File | Get-FaceEncoding -ErrorAction SilentlyContinue -ErrorVariable failed)
        $script:Failed = $failed
        function Read-Manifest([string] $Folder) { Get-Content -Raw -LiteralPath (Join-Path $Folder 'faces.json') | ConvertFrom-Json }
        function Read-Index([string] $Folder) { Get-Content -Raw -LiteralPath (Join-Path $Folder 'index.html') }
        function Get-SummaryRow([string] $Html, [string] $Name) {
            if ($Html -notmatch "(?s)<tr><th>$([regex]::Escape($Name))</th><td>(.*?)</td></tr>") { throw "no summary row '$Name'" }
            $Matches[1]
        }
    }

    It 'lists each photo that failed with its error id in faces.json and in the page''s summary' {
        $Failed.Count | Should -Be 2
        $out = Join-Path $TestDrive 'failed-listed'
        $Faces | Invoke-FaceCluster | Export-FaceCluster -LiteralPath $out -EncodingError $Failed -ErrorAction Stop

        $manifest = Read-Manifest $out
        @($manifest.failedPhotos | ForEach-Object { '{0}|{1}' -f $_.path, $_.errorId }) |
            Should -Be @("$Truncated|ImageTruncated", "$Text|ImageNotAnImage")
        @($manifest.failedPhotos).message | Should -Not -Contain ''
        $row = Get-SummaryRow (Read-Index $out) 'Photos that failed'
        $row | Should -BeLike '<a href="review/failed.html">2</a>*'
        $row | Should -Match ([regex]::Escape('<code>' + [Net.WebUtility]::HtmlEncode($Truncated) + '</code> <span class="error-id">ImageTruncated</span>'))
        $row | Should -Match ([regex]::Escape('<code>' + [Net.WebUtility]::HtmlEncode($Text) + '</code> <span class="error-id">ImageNotAnImage</span>'))
        $row | Should -Not -Match "cut & short" -Because 'paths are HTML-encoded'
        Get-Content -Raw -LiteralPath (Join-Path $out 'review/failed.html') | Should -Match ([regex]::Escape([Net.WebUtility]::HtmlEncode($Failed[0].Exception.Message)))
    }

    It 'records and shows the settings Invoke-FaceCluster used: the model pack''s defaults, or -Epsilon' {
        $groups = @($Faces | Invoke-FaceCluster)
        $settings = $groups[0].Clustering
        $settings | Should -BeOfType ([FaceCluster.Model.ClusteringSettings])
        $settings.Model | Should -Be $Faces[0].Model
        $settings.EpsilonSource | Should -Be 'ModelPack'
        @($groups | Where-Object { $_.Clustering -ne $settings }) | Should -BeNullOrEmpty -Because 'every group of one run carries the same settings'
        $out = Join-Path $TestDrive 'settings-default'
        $groups | Export-FaceCluster -LiteralPath $out -EncodingError @() -ErrorAction Stop
        $recorded = (Read-Manifest $out).clustering
        $recorded.model | Should -Be $settings.Model
        $recorded.algorithm | Should -Be 'averageLinkage'
        $recorded.epsilon | Should -Be $settings.Epsilon
        $recorded.epsilonSource | Should -Be 'modelPack'
        $recorded.groupThreshold | Should -Be $settings.GroupThreshold
        $index = Read-Index $out
        Get-SummaryRow $index 'Photos that failed' | Should -Be '0'
        Get-SummaryRow $index 'Model pack' | Should -Be $settings.Model
        Get-SummaryRow $index 'Clustering' | Should -Be 'average linkage, cosine distance; faces of one photo kept apart'
        $thresholds = Get-SummaryRow $index 'Thresholds'
        if ($null -ne $settings.GroupThreshold) {
            $thresholds | Should -Be "pair threshold $($settings.Epsilon) (the model pack&#39;s default); group threshold $($settings.GroupThreshold), chosen by the model pack&#39;s library rule"
        }
        else { $thresholds | Should -Be "threshold $($settings.Epsilon) (the model pack&#39;s default)" }

        $out = Join-Path $TestDrive 'settings-dbscan'
        $Faces | Invoke-FaceCluster -Algorithm Dbscan -Epsilon 0.7 -MinSamples 2 | Export-FaceCluster -LiteralPath $out -ErrorAction Stop
        $recorded = (Read-Manifest $out).clustering
        ($recorded.algorithm, $recorded.epsilon, $recorded.epsilonSource, $recorded.minSamples, $recorded.groupThreshold) | Should -Be ('dbscan', 0.7, 'parameter', 2, $null)
        Get-SummaryRow (Read-Index $out) 'Thresholds' | Should -Be 'epsilon 0.7 (-Epsilon), min samples 2'
        Get-SummaryRow (Read-Index $out) 'Photos that failed' | Should -BeLike 'not recorded*'
        (Read-Manifest $out).PSObject.Properties.Name | Should -Not -Contain 'failedPhotos'
    }

    It 'records no failures for -EncodingError $null, and none failed for an -ErrorVariable of a clean run' {
        $out = Join-Path $TestDrive 'failed-null'
        $Faces | Invoke-FaceCluster | Export-FaceCluster -LiteralPath $out -EncodingError $null -ErrorAction Stop
        (Read-Manifest $out).PSObject.Properties.Name | Should -Not -Contain 'failedPhotos'
        Get-SummaryRow (Read-Index $out) 'Photos that failed' | Should -BeLike 'not recorded*'

        $clean = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter sample1.jpg | Get-FaceEncoding -ErrorVariable none)
        $out = Join-Path $TestDrive 'failed-none'
        $clean | Invoke-FaceCluster | Export-FaceCluster -LiteralPath $out -EncodingError $none -ErrorAction Stop
        ConvertTo-Json -InputObject @((Read-Manifest $out).failedPhotos) | Should -Be '[]'
        Get-SummaryRow (Read-Index $out) 'Photos that failed' | Should -Be '0'
    }

    It 'leaves out, with a warning, an error that names no photo' {
        $unknown = try { Get-FaceEncoding -LiteralPath $Truncated -Model 'no-such-pack' -ErrorAction Stop } catch { $_ }
        $unknown.FullyQualifiedErrorId | Should -BeLike 'UnknownModel,*'
        $out = Join-Path $TestDrive 'failed-other'
        $Faces | Invoke-FaceCluster | Export-FaceCluster -LiteralPath $out -EncodingError (@($Failed) + $unknown) -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        @((Read-Manifest $out).failedPhotos).Count | Should -Be 2
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*'UnknownModel'*names no photo*"
    }

    It 'with -Sync, lists this run''s failures only' {
        $out = Join-Path $TestDrive 'failed-sync'
        $Faces | Invoke-FaceCluster | Export-FaceCluster -LiteralPath $out -EncodingError $Failed -ErrorAction Stop
        $null = $Faces | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -LiteralPath $out -Sync -EncodingError $Failed[0] -ErrorAction Stop
        @((Read-Manifest $out).failedPhotos).path | Should -Be $Failed[0].TargetObject
        Test-Path -LiteralPath (Join-Path $out 'review/failed.html') | Should -BeTrue
        $null = $Faces | Invoke-FaceCluster | Export-FaceCluster -LiteralPath $out -Sync -EncodingError @() -ErrorAction Stop
        @((Read-Manifest $out).failedPhotos).Count | Should -Be 0
        Test-Path -LiteralPath (Join-Path $out 'review/failed.html') | Should -BeFalse
    }
}
