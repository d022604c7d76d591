BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Faces = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding)
}

Describe 'Invoke-FaceCluster' {
    It 'puts every face in exactly one group, people first and doubtful last (<Algorithm>)' -ForEach @(
        @{ Algorithm = 'Dbscan' }
        @{ Algorithm = 'AverageLinkage' }
    ) {
        $groups = @($Faces | Invoke-FaceCluster -Algorithm $Algorithm)
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

    It 'chooses the library''s group threshold by default, and -Epsilon fixes one threshold instead' {
        $verbose = $Faces | Invoke-FaceCluster -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $line = @($verbose | Where-Object { "$_" -like '*group threshold*' })
        $line.Count | Should -Be 1
        [double] ("$line" -replace '^.*group threshold: ([0-9.]+).*$', '$1') | Should -BeGreaterOrEqual 0.54
        $verbose = $Faces | Invoke-FaceCluster -Epsilon 0.54 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose | Where-Object { "$_" -like '*group threshold*' } | Should -BeNullOrEmpty
        "$verbose" | Should -BeLike '*epsilon 0.54*'
    }

    It 'says which neighbour search ran and why, and records it on every group' {
        $verbose = $Faces | Invoke-FaceCluster -Verbose 4>&1
        $groups = @($verbose | Where-Object { $_ -is [FaceCluster.Model.FaceGroup] })
        $said = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like '*neighbour search*' })
        $said.Count | Should -Be 1
        "$said" | Should -BeLike "Exact neighbour search: $($Faces.Count) faces, under the 50000*"
        $groups | ForEach-Object { "$($_.Clustering.NeighbourSearch)" } | Sort-Object -Unique | Should -Be 'Exact'

        # Forced, the approximate search runs on these few faces too.
        $verbose = $Faces | Invoke-FaceCluster -NeighbourSearch Approximate -Verbose 4>&1
        $approximate = @($verbose | Where-Object { $_ -is [FaceCluster.Model.FaceGroup] })
        "$($verbose | Where-Object { "$_" -like '*neighbour search*' })" | Should -BeLike 'Approximate neighbour search, as asked*'
        $approximate | ForEach-Object { "$($_.Clustering.NeighbourSearch)" } | Sort-Object -Unique | Should -Be 'Approximate'
        ($approximate | ForEach-Object { $_.Members.Count }) -join ',' | Should -Be (($groups | ForEach-Object { $_.Members.Count }) -join ',')
        { $Faces | Invoke-FaceCluster -NeighbourSearch Approximate -Metric Euclidean -Epsilon 0.9 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ApproximateSearchUnavailable,FaceCluster.Commands.InvokeFaceClusterCommand'
    }

    It 'honours -MinSamples 1 with -Algorithm Dbscan: nothing is doubtful' {
        $groups = @($Faces | Invoke-FaceCluster -Algorithm Dbscan -MinSamples 1 -AllowSamePhoto)
        $groups | Where-Object IsDoubtful | Should -BeNullOrEmpty
    }

    It 'clusters by the model pack''s default method, average linkage, and says what it used' {
        $verbose = $Faces | Invoke-FaceCluster -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike '*average linkage*'
        $verbose = $Faces | Invoke-FaceCluster -Algorithm Dbscan -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike '*DBSCAN*min samples*'
    }

    It 'warns that -MinSamples does nothing for average linkage' {
        $null = $Faces | Invoke-FaceCluster -Algorithm AverageLinkage -MinSamples 3 -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeLike '*-MinSamples*Dbscan*'
    }

    It 'with -Algorithm <Algorithm>, never puts two faces of one photo in one cluster unless -AllowSamePhoto' -ForEach @(
        @{ Algorithm = 'Dbscan' }
        @{ Algorithm = 'AverageLinkage' }
    ) {
        # A second face of sample1 with exactly the vector of its face 0: the closest possible pair.
        $first = $Faces | Where-Object { $_.FaceIndex -eq 0 } | Select-Object -First 1
        $twin = [FaceCluster.Model.FaceEncoding]@{
            Path = $first.Path; FaceIndex = 99; Box = $first.Box; Landmarks = $first.Landmarks; Confidence = 1
            Vector = $first.Vector; Model = $first.Model; ImageWidth = $first.ImageWidth; ImageHeight = $first.ImageHeight
        }
        $all = @($Faces) + $twin
        $together = { param($groups) @($groups | Where-Object { -not $_.IsDoubtful -and $_.Faces -contains $first -and $_.Faces -contains $twin }).Count }

        $separated = @($all | Invoke-FaceCluster -Algorithm $Algorithm)
        & $together $separated | Should -Be 0
        foreach ($group in $separated | Where-Object { -not $_.IsDoubtful }) {
            @($group.Faces.Path | Group-Object | Where-Object Count -gt 1) | Should -BeNullOrEmpty -Because "$($group.Label) holds one face per photo"
        }
        ($separated | ForEach-Object FaceCount | Measure-Object -Sum).Sum | Should -Be $all.Count

        $allowed = @($all | Invoke-FaceCluster -Algorithm $Algorithm -AllowSamePhoto)
        & $together $allowed | Should -Be 1
    }

    It 'tells each doubtful face the cluster of its nearest face and the distance to it, kept by Export-Clixml' {
        $groups = @($Faces | Invoke-FaceCluster -Epsilon 0.7)
        $people = @($groups | Where-Object { -not $_.IsDoubtful })
        $people.Count | Should -BeGreaterThan 1
        $groups[-1].IsDoubtful | Should -BeTrue
        $people.Members | Where-Object { $null -ne $_.NearestClusterId -or $null -ne $_.NearestClusterDistance } | Should -BeNullOrEmpty

        function Get-Unit([float[]] $Vector) {
            $norm = 0.0
            foreach ($x in $Vector) { $norm += [double] $x * $x }
            , [double[]] ($Vector | ForEach-Object { $_ / [Math]::Sqrt($norm) })
        }
        $units = @{}
        foreach ($face in $Faces) { $units["$face"] = Get-Unit $face.Vector }
        foreach ($member in $groups[-1].Members) {
            # The cosine distance to each cluster's nearest member, by its definition; the nearest, lower id on a tie.
            $x = $units["$($member.Face)"]
            $nearest = $people | ForEach-Object {
                $min = [double]::PositiveInfinity
                foreach ($m in $_.Faces) {
                    $y = $units["$m"]
                    $dot = 0.0
                    for ($k = 0; $k -lt $x.Length; $k++) { $dot += $x[$k] * $y[$k] }
                    $min = [Math]::Min($min, 1 - $dot)
                }
                [pscustomobject]@{ Id = $_.Id; Distance = $min }
            } | Sort-Object Distance, Id | Select-Object -First 1
            $member.NearestClusterId | Should -Be $nearest.Id -Because "$($member.Face)"
            $member.NearestClusterDistance | Should -BeGreaterThan ($nearest.Distance - 1e-6)
            $member.NearestClusterDistance | Should -BeLessThan ($nearest.Distance + 1e-6)
        }

        $file = Join-Path $TestDrive 'groups.clixml'
        $groups | Export-Clixml -LiteralPath $file
        $copy = @(Import-Clixml -LiteralPath $file)
        $copy[-1].Members.NearestClusterId | Should -Be $groups[-1].Members.NearestClusterId
        $copy[-1].Members.NearestClusterDistance | Should -Be $groups[-1].Members.NearestClusterDistance
    }

    It 'accepts -InputObject as an array' {
        @(Invoke-FaceCluster -InputObject $Faces).Count | Should -Be @($Faces | Invoke-FaceCluster).Count
    }

    It 'writes nothing for no input' {
        @(@() | Invoke-FaceCluster) | Should -BeNullOrEmpty
    }

    It 'clusters encodings of a pack it does not know by average linkage, given -Metric and -Epsilon' {
        $foreign = foreach ($face in $Faces) {
            [FaceCluster.Model.FaceEncoding]@{
                Path = $face.Path; FaceIndex = $face.FaceIndex; Box = $face.Box; Landmarks = $face.Landmarks; Confidence = 1
                Vector = $face.Vector; Model = 'another-pack'; ImageWidth = $face.ImageWidth; ImageHeight = $face.ImageHeight
            }
        }
        { $foreign | Invoke-FaceCluster -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownModel,FaceCluster.Commands.InvokeFaceClusterCommand'
        { $foreign | Invoke-FaceCluster -Algorithm Dbscan -Metric Cosine -Epsilon 0.5 -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownModel,FaceCluster.Commands.InvokeFaceClusterCommand'
        $verbose = $foreign | Invoke-FaceCluster -Metric Cosine -Epsilon 0.5 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike '*average linkage: epsilon 0.5, Cosine*'
    }

    It 'refuses to mix encodings of different model packs' {
        $other = [FaceCluster.Model.FaceEncoding]@{
            Path = '/x.jpg'; FaceIndex = 0; Box = $Faces[0].Box; Landmarks = $Faces[0].Landmarks; Confidence = 1
            Vector = $Faces[0].Vector; Model = 'another-pack'; ImageWidth = 10; ImageHeight = 10
        }
        { @($Faces) + $other | Invoke-FaceCluster -Epsilon 0.5 -MinSamples 2 -Metric Cosine -ErrorAction Stop } |
            Should -Throw -ErrorId 'IncomparableEncodings,FaceCluster.Commands.InvokeFaceClusterCommand'
    }
}
