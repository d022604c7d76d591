# The face-quality gate: detections that are probably not faces never become a person, are listed as doubtful with
# the reason (Invoke-FaceCluster, faces.json, Get-FaceClusterMember, the review page), and one the user puts in a
# person with Move-FaceClusterMember stays there across -Previous runs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $script:Photos = Join-Path $TestDrive 'photos'
    New-Item -ItemType Directory -Path $Photos | Out-Null
    . (Join-Path $PSScriptRoot 'SyntheticPeople.ps1')
    foreach ($name in 'a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2') {
        # Photos of distinct content, so each has its own content key.
        $file = Join-Path $Photos "$name.jpg"
        [IO.File]::WriteAllBytes($file, [byte[]]@([IO.File]::ReadAllBytes((Join-Path $SamplesDirectory 'sample1.jpg')) + [Text.Encoding]::ASCII.GetBytes($name)))
    }
    function New-Ear([string] $Name, [int] $N) {
        # A detection beside the face of photo $Name (box 10,10 60x60), a fifth its size; ears lie near axis 5.
        $ear = New-Face $Name 5 $N
        $ear.FaceIndex = 1
        $ear.Box = [pscustomobject]@{ X = 72; Y = 25; Width = 12; Height = 22 }
        $ear
    }
    # A second box on b0's face, mostly inside it.
    $script:Second = New-Face b0 1 7
    $Second.FaceIndex = 1
    $Second.Box = [pscustomobject]@{ X = 15; Y = 15; Width = 50; Height = 50 }
    $script:All = @(New-Faces a 0 (0..3)) + @(New-Faces b 1 (0..2)) + @(0..3 | ForEach-Object { New-Ear "a$_" $_ }) + $Second

    function Get-People($Faces, [string] $Folder) {
        # Each group as "id:photo#face,...", doubtful as "-1:...".
        $Faces | Invoke-FaceCluster -Epsilon 0.3 -Previous $Folder -WarningAction SilentlyContinue | ForEach-Object {
            '{0}:{1}' -f $_.Id, (($_.Members | ForEach-Object { '{0}#{1}' -f [IO.Path]::GetFileNameWithoutExtension($_.Face.Path), $_.Face.FaceIndex } | Sort-Object) -join ',')
        } | Sort-Object
    }
}

Describe 'The face-quality gate' {
    It 'keeps fragments beside a face and second boxes inside one out of every person, with the reason' {
        $groups = @($All | Invoke-FaceCluster -Epsilon 0.3)
        $people = @($groups | Where-Object Id -ge 0)
        $people.Count | Should -Be 2
        $people.Members.Face.FaceIndex | Sort-Object -Unique | Should -Be 0
        $doubtful = ($groups | Where-Object Id -eq -1).Members
        $doubtful.Count | Should -Be 5
        @($doubtful | Where-Object Gate -eq Fragment).Count | Should -Be 4
        ($doubtful | Where-Object { $_.Face.FaceIndex -eq 1 -and $_.Face.Path -like '*b0.jpg' }).Gate | Should -Be InsideFace
    }

    It 'clusters every detection with -NoFaceGate: the fragments make a person' {
        $groups = @($All | Invoke-FaceCluster -Epsilon 0.3 -NoFaceGate)
        $ears = @($groups | Where-Object { $_.Id -ge 0 -and @($_.Members | Where-Object { $_.Face.FaceIndex -eq 1 -and $_.Face.Path -like '*a?.jpg' }).Count -eq 4 })
        $ears.Count | Should -Be 1
        $groups.Members.Gate | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'shows gated faces in faces.json, Get-FaceClusterMember and the review page, selectable to restore them' {
        $folder = Join-Path $TestDrive 'shown'
        $All | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder | Out-Null
        $json = Get-Content -LiteralPath (Join-Path $folder 'faces.json') -Raw | ConvertFrom-Json
        @($json.faces | Where-Object gate -eq 'fragment').Count | Should -Be 4
        @($json.faces | Where-Object gate -eq 'insideFace').Count | Should -Be 1
        @($json.faces | Where-Object { $_.clusterId -ge 0 -and $_.gate }).Count | Should -Be 0
        $members = @(Get-FaceClusterMember $folder -Id -1 | Where-Object Gate)
        $members.Count | Should -Be 5
        $page = Get-Content -LiteralPath (Join-Path $folder 'review/doubtful.html') -Raw
        ([regex]::Matches($page, 'not a face, probably')).Count | Should -BeGreaterOrEqual 5
        # A gated face is a face button like any other, so the page's move actions restore it.
        $page | Should -BeLike "*<button type=`"button`" class=`"pick face`" aria-pressed=`"false`" data-photo=`"$(Join-Path $Photos 'b0.jpg')`" data-face=`"1`"*not a face, probably*"
        Get-Content -LiteralPath (Join-Path $folder 'index.html') -Raw | Should -BeLike '*5 of the doubtful faces, set aside by the face gate*'
    }

    It 'lets gated faces the user moved into a person through, on every later -Previous run' {
        $folder = Join-Path $TestDrive 'restored'
        $All | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $folder | Out-Null
        $moved = @(Get-FaceClusterMember $folder -Id -1 | Where-Object { $_.Gate -eq 'Fragment' -and $_.Photo -match 'a[01]\.jpg$' } |
            Move-FaceClusterMember -NewPerson -PassThru)
        $moved.Count | Should -Be 2
        $new = $moved[0].Into
        $expected = @("$($new):a0#1,a1#1")
        Get-People $All $folder | Where-Object { $_ -like "$($new):*" } | Should -Be $expected

        $All | Invoke-FaceCluster -Epsilon 0.3 -Previous $folder -WarningAction SilentlyContinue |
            Export-FaceCluster -LiteralPath $folder -Sync | Out-Null
        @(Get-FaceClusterMember $folder -Id $new).Count | Should -Be 2
        Get-People $All $folder | Where-Object { $_ -like "$($new):*" } | Should -Be $expected
        Get-People $All $folder | Where-Object { $_ -like '-1:*' } | Should -Be '-1:a2#1,a3#1,b0#1'
    }
}
