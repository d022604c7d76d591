#requires -Version 7.4
# The views in FaceCluster.Format.ps1xml, checked without the engine: views select on type names, so objects
# whose PSTypeNames carry the engine's type names stand in for the real ones. Runs in a runspace of its own so
# the format data never clashes with a loaded FaceCluster module.

BeforeAll {
    $formatFile = Join-Path $PSScriptRoot '../src/FaceCluster/FaceCluster.Format.ps1xml'

    function Format-InFreshRunspace([scriptblock] $Script, [object] $InputObject) {
        # Update-FormatData, unlike InitialSessionState.Formats, reports a malformed view as an error.
        $ps = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        try {
            $null = $ps.AddCommand('Update-FormatData').AddParameter('PrependPath', $formatFile).AddParameter('ErrorAction', 'Stop')
            $null = $ps.Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript($Script.ToString()).AddArgument($InputObject)
            ($ps.Invoke() | Out-String).Trim()
        }
        finally { $ps.Dispose() }
    }

    function New-Face([string] $Path, [int] $Index, [float] $Confidence) {
        [pscustomobject]@{
            PSTypeName = 'FaceCluster.Model.FaceEncoding'
            Path = $Path; FaceIndex = $Index; Box = '12,34 56x78'; Confidence = $Confidence; Model = 'faceplugin'
        }
    }
}

Describe 'FaceCluster.Format.ps1xml' {
    It 'loads into a session without errors' {
        { Format-InFreshRunspace { 'ok' } $null } | Should -Not -Throw
    }

    It 'shows a FaceEncoding as file name, index, box, confidence to two decimals and model' {
        $face = New-Face '/photos/2019/IMG_0001.jpg' 1 0.98765
        $text = Format-InFreshRunspace { param($o) $o | Format-Table | Out-String -Width 200 } $face
        $text | Should -Match 'File\s+FaceIndex\s+Box\s+Confidence\s+Model'
        $text | Should -Match 'IMG_0001\.jpg\s+1\s+12,34 56x78\s+0\.99\s+faceplugin'
        $text | Should -Not -Match '/photos/2019'
    }

    It 'shows a FaceGroup as id, label, counts and the representative file with its face index, and its name in a list' {
        $group = [pscustomobject]@{
            PSTypeName = 'FaceCluster.Model.FaceGroup'
            Id = 0; Label = 'cluster_0'; IsDoubtful = $false; FaceCount = 5; PhotoCount = 4; Name = 'Ann:Lee'
            Representative = New-Face '/photos/IMG_0002.jpg' 2 0.9; Photos = @('/photos/IMG_0002.jpg')
        }
        $table = Format-InFreshRunspace { param($o) $o | Format-Table | Out-String -Width 200 } $group
        $table | Should -Match 'Id\s+Label\s+FaceCount\s+PhotoCount\s+Representative'
        $table | Should -Match '0\s+cluster_0\s+5\s+4\s+IMG_0002\.jpg#2'
        $list = Format-InFreshRunspace { param($o) $o | Format-List | Out-String -Width 200 } $group
        $list | Should -Match 'Representative\s*:\s*/photos/IMG_0002\.jpg \(face 2\)'
        $list | Should -Match 'IsDoubtful\s*:\s*False'
        $list | Should -Match 'Name\s*:\s*Ann:Lee'
    }

    It 'shows the doubtful group without a representative' {
        $group = [pscustomobject]@{
            PSTypeName = 'FaceCluster.Model.FaceGroup'
            Id = -1; Label = 'doubtful (possibly clustered)'; IsDoubtful = $true; FaceCount = 3; PhotoCount = 3
            Representative = $null; Photos = @()
        }
        Format-InFreshRunspace { param($o) $o | Format-Table | Out-String -Width 200 } $group |
            Should -Match 'doubtful \(possibly clustered\)\s+3\s+3\s*$'
    }

    It 'shows a ClusteringScore as a list with three decimals' {
        $score = [pscustomobject]@{
            PSTypeName = 'FaceCluster.Model.ClusteringScore'
            PairwisePrecision = 0.98213; PairwiseRecall = 0.871; PairwiseF1 = 0.9232
            BCubedPrecision = 0.975; BCubedRecall = 0.902; BCubedF1 = 0.93712
            ClusterCount = 9; IdentityCount = 8; DoubtfulShare = 0.041; UnscoredFaceCount = 12
        }
        $text = Format-InFreshRunspace { param($o) $o | Out-String -Width 200 } $score
        $text | Should -Match 'PairwisePrecision\s*:\s*0\.982'
        $text | Should -Match 'BCubedF1\s*:\s*0\.937'
        $text | Should -Match 'IdentityCount\s*:\s*8'
        $text | Should -Match 'DoubtfulShare\s*:\s*4\.1\s?%'
        $text | Should -Match 'UnscoredFaceCount\s*:\s*12'
    }

    It 'shows cluster members as face, role and, for doubtful faces, the nearest cluster and its distance' {
        $members = @(
            [pscustomobject]@{
                PSTypeName = 'FaceCluster.Model.ClusterMember'
                Face = New-Face '/photos/IMG_0003.jpg' 1 0.9; Role = 'Noise'; NearestClusterId = 4; NearestClusterDistance = 0.61234
            }
            [pscustomobject]@{
                PSTypeName = 'FaceCluster.Model.ClusterMember'
                Face = New-Face '/photos/IMG_0004.jpg' 0 0.9; Role = 'Core'; NearestClusterId = $null; NearestClusterDistance = $null
            }
        )
        $text = Format-InFreshRunspace { param($o) $o | Format-Table | Out-String -Width 200 } $members
        $text | Should -Match 'Face\s+Role\s+NearestClusterId\s+NearestClusterDistance'
        $text | Should -Match 'IMG_0003\.jpg#1\s+Noise\s+4\s+0\.612'
        $text | Should -Match 'IMG_0004\.jpg#0\s+Core\s*(\r?\n|$)'
    }
    It 'shows a FaceClusterMember as id, name, photo file with its face index, and role' {
        $member = [pscustomobject]@{
            PSTypeName = 'FaceCluster.Engine.People.FaceClusterMember'
            Export = '/out'; Id = 3; Name = 'Ann'; Photo = '/photos/beach/IMG_0007.jpg'; FaceIndex = 1; Role = 'Core'; Copy = '/out/Ann/IMG_0007.jpg'
        }
        $text = Format-InFreshRunspace { param($o) $o | Format-Table | Out-String -Width 200 } $member
        $text | Should -Match 'Id\s+Name\s+Face\s+Role'
        $text | Should -Match '3\s+Ann\s+IMG_0007\.jpg#1\s+Core'
    }

    It 'shows a FaceClusterCorrection as kind, id, target, face, when made and retired' {
        $correction = [pscustomobject]@{
            PSTypeName = 'FaceCluster.Engine.People.FaceClusterCorrection'
            Export = '/out'; Kind = 'Move'; Id = 0; Into = 5; Name = $null; Photo = '/photos/a5.jpg'; FaceIndex = 0
            Made = [DateTimeOffset]::new(2026, 12, 7, 6, 30, 0, [TimeSpan]::Zero); Retired = $false
        }
        $text = Format-InFreshRunspace { param($o) $o | Format-Table | Out-String -Width 200 } $correction
        $text | Should -Match 'Kind\s+Id\s+Target\s+Face\s+Made\s+Retired'
        $text | Should -Match 'Move\s+0\s+5\s+a5\.jpg#0\s+2026-12-07 06:30\s+False'
    }
}
