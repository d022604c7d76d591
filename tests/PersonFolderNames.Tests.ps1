# Names the export cannot use as they are: a person named after the export's own files, a name over 255 bytes of
# UTF-8, a photo name at the limit that needs " (2)", a device name. Each export and every later -Sync completes.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    # Synthetic encodings of copies of a real photo, one person per axis (see New-SyntheticFace).
    $script:Photos = Join-Path $TestDrive 'photos'
    $script:LongName = ('p' * 251) + '.jpg'   # 255 bytes: the second copy needs " (2)"
    function New-Face([string] $Folder, [string] $Name, [int] $Axis, [int] $N) { New-SyntheticFace (Join-Path (Join-Path $Photos $Folder) $Name) $Axis $N }
    $script:Faces = @(
        foreach ($n in 0..2) { New-Face "a$n" $LongName 0 $n }
        $n = 0; foreach ($name in 'CON.jpg', 'nul.tar.gz', 'Com1.jpg') { New-Face 'b' $name 1 ($n++) }
        foreach ($n in 0..2) { New-Face 'c' "c$n.jpg" 2 $n }
    )
    $script:Cjk = [string]::new([char]0x6F22, 90)   # 270 bytes of UTF-8
}

Describe 'Person and photo names the export cannot use as they are' {
    It 'maps them to folder and file names valid everywhere, and every later -Sync completes' {
        $out = Join-Path $TestDrive 'out'
        $Faces | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -LiteralPath $out -ErrorAction Stop
        $id = @{}   # person id by the first letter of its photos' source folder
        foreach ($person in (Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json).clusters | Where-Object id -ge 0) {
            $id[(Split-Path -Leaf (Split-Path -Parent $person.representativePath)).Substring(0, 1)] = $person.id
        }
        Rename-FaceCluster -LiteralPath $out -Id $id['a'] -Name 'index.html' -ErrorAction Stop
        Rename-FaceCluster -LiteralPath $out -Id $id['b'] -Name 'review' -ErrorAction Stop
        Rename-FaceCluster -LiteralPath $out -Id $id['c'] -Name $Cjk -ErrorAction Stop

        foreach ($night in 1, 2) {
            $summary = $Faces | Invoke-FaceCluster -Epsilon 0.3 -Previous $out | Export-FaceCluster -LiteralPath $out -Sync -ErrorAction Stop
            $summary.Complete | Should -BeTrue -Because "night $night"
            $summary.Failed | Should -Be 0 -Because "night $night"
        }
        $summary.Added + $summary.Moved + $summary.Removed + $summary.Updated | Should -Be 0

        $cut = $Cjk.Substring(0, 85)   # 255 bytes
        (Get-ChildItem -LiteralPath $out -Directory).Name | Sort-Object | Should -Be (@('index.html (2)', 'review', 'review (2)', $cut) | Sort-Object)
        (Get-ChildItem -LiteralPath (Join-Path $out 'index.html (2)') -File).Name | Sort-Object |
            Should -Be (@((('p' * 251) + '.jpg'), (('p' * 247) + ' (2).jpg'), (('p' * 247) + ' (3).jpg'), 'representative.jpg') | Sort-Object)
        (Get-ChildItem -LiteralPath (Join-Path $out 'review (2)') -File).Name | Sort-Object |
            Should -Be (@('CON_.jpg', 'nul_.tar.gz', 'Com1_.jpg', 'representative.jpg') | Sort-Object)
        Get-ChildItem -LiteralPath (Join-Path $out 'review') -File -Recurse |
            Where-Object { $_.Extension -notin '.html', '.css', '.js' -and $_.Name -notin 'nearest-people.json', 'pages.json' } |
            ForEach-Object { Split-Path -Leaf $_.DirectoryName } | Sort-Object -Unique | Should -Be 'thumbnails'
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json') | ConvertFrom-Json
        ($manifest.clusters | Where-Object folder -eq 'index.html (2)').name | Should -Be 'index.html'
        ($manifest.clusters | Where-Object folder -eq $cut).name | Should -Be $Cjk
        Get-ChildItem -LiteralPath $out -Recurse -Force | ForEach-Object {
            [Text.Encoding]::UTF8.GetByteCount($_.Name) | Should -BeLessOrEqual 255 -Because $_.Name
        }
    }

    It 'refuses a group made by hand labelled <Case>, writing nothing' -ForEach @(
        @{ Case = 'index.html'; Label = 'index.html' }, @{ Case = 'Review'; Label = 'Review' }, @{ Case = 'CON'; Label = 'CON' }
        @{ Case = '256 bytes'; Label = ('x' * 256) }
    ) {
        $out = Join-Path $TestDrive "refused-$($Label.Length)-$($Label.Substring(0, 3))"
        $group = $Faces | Invoke-FaceCluster -Epsilon 0.3 | Select-Object -First 1
        $bag = [pscustomobject]@{ Id = $group.Id; Label = $Label; Members = $group.Members; Representative = $group.Representative }
        { $bag | Export-FaceCluster -LiteralPath $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidFaceGroup,FaceCluster.Commands.ExportFaceClusterCommand'
        $out | Should -Not -Exist
    }
}
