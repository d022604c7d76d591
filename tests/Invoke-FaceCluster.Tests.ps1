BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Faces = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding)
}

Describe 'Invoke-FaceCluster' {
    It 'puts every face in exactly one group, people first and doubtful last' {
        $groups = @($Faces | Invoke-FaceCluster)
        $groups.Count | Should -BeGreaterThan 0
        ($groups | ForEach-Object { $_.FaceCount } | Measure-Object -Sum).Sum | Should -Be $Faces.Count
        $keys = $groups | ForEach-Object { $_.Members } | ForEach-Object { "$($_.Face.Path)#$($_.Face.FaceIndex)" }
        @($keys | Sort-Object -Unique).Count | Should -Be $Faces.Count

        $people = @($groups | Where-Object { -not $_.IsDoubtful })
        $people.Id | Should -Be (0..($people.Count - 1))
        $people.Label | Should -Be ($people.Id | ForEach-Object { "cluster_$_" })
        for ($i = 1; $i -lt $people.Count; $i++) { $people[$i].FaceCount | Should -BeLessOrEqual $people[$i - 1].FaceCount }
        $doubtful = @($groups | Where-Object IsDoubtful)
        if ($doubtful) {
            $groups[-1].IsDoubtful | Should -BeTrue
            $doubtful[0].Label | Should -Be 'doubtful (possibly clustered)'
            $doubtful[0].Members.Role | Sort-Object -Unique | Should -Be 'Noise'
        }
        foreach ($person in $people) {
            $person.Representative | Should -BeIn $person.Faces
            $person.Members.Role | Should -Contain 'Core'
        }
    }

    It 'gives the same clusters and numbering for the same input in any order' {
        $a = @($Faces | Invoke-FaceCluster)
        $b = @($Faces | Sort-Object { [guid]::NewGuid() } | Invoke-FaceCluster)
        $b.Count | Should -Be $a.Count
        for ($i = 0; $i -lt $a.Count; $i++) {
            $b[$i].Label | Should -Be $a[$i].Label
            ($b[$i].Faces | ForEach-Object { "$($_.Path)#$($_.FaceIndex)" }) | Should -Be ($a[$i].Faces | ForEach-Object { "$($_.Path)#$($_.FaceIndex)" })
            "$($b[$i].Representative)" | Should -Be "$($a[$i].Representative)"
        }
    }

    It 'honours -Epsilon: a tiny radius leaves every face doubtful' {
        $groups = @($Faces | Invoke-FaceCluster -Epsilon 0.0001 -MinSamples 2)
        $groups.Count | Should -Be 1
        $groups[0].IsDoubtful | Should -BeTrue
        $groups[0].FaceCount | Should -Be $Faces.Count
    }

    It 'honours -MinSamples 1: nothing is doubtful' {
        $groups = @($Faces | Invoke-FaceCluster -MinSamples 1)
        $groups | Where-Object IsDoubtful | Should -BeNullOrEmpty
    }

    It 'accepts -InputObject as an array' {
        @(Invoke-FaceCluster -InputObject $Faces).Count | Should -Be @($Faces | Invoke-FaceCluster).Count
    }

    It 'writes nothing for no input' {
        @(@() | Invoke-FaceCluster) | Should -BeNullOrEmpty
    }

    It 'refuses to mix encodings of different model packs' {
        $other = [FaceCluster.Engine.Model.FaceEncoding]@{
            Path = '/x.jpg'; FaceIndex = 0; Box = $Faces[0].Box; Landmarks = $Faces[0].Landmarks; Confidence = 1
            Vector = $Faces[0].Vector; Model = 'another-pack'; ImageWidth = 10; ImageHeight = 10
        }
        { @($Faces) + $other | Invoke-FaceCluster -Epsilon 0.5 -MinSamples 2 -Metric Cosine -ErrorAction Stop } |
            Should -Throw -ErrorId 'IncomparableEncodings,FaceCluster.Commands.InvokeFaceClusterCommand'
    }
}
