BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # A labelled tree in which each sample photo is its own "person": every face is credited to its photo's folder.
    $script:Truth = Join-Path $TestDrive 'truth'
    $i = 0
    foreach ($photo in Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Sort-Object Name) {
        $person = Join-Path $Truth "person $i"
        $null = New-Item -ItemType Directory -Path $person
        Copy-Item -LiteralPath $photo.FullName -Destination $person
        $i++
    }
    $script:Labelled = @(Get-ChildItem -LiteralPath $Truth -Recurse -File | Get-FaceEncoding)
    # Same-person pairs and all pairs of the labelled faces, worked out from the face counts per photo.
    $counts = @($Labelled | Group-Object Path | ForEach-Object Count)
    $script:SamePairs = ($counts | ForEach-Object { $_ * ($_ - 1) / 2 } | Measure-Object -Sum).Sum
    $script:AllPairs = $Labelled.Count * ($Labelled.Count - 1) / 2
}

Describe 'Measure-FaceCluster' {
    It 'with -AllFaces, scores one cluster of everything: full recall, precision = same-person pairs / all pairs' {
        $score = $Labelled | Invoke-FaceCluster -Algorithm Dbscan -Epsilon 3 -MinSamples 1 -AllowSamePhoto | Measure-FaceCluster -GroundTruthPath $Truth -AllFaces
        $score.PSObject.TypeNames[0] | Should -Be 'FaceCluster.Model.ClusteringScore'
        $score.ItemCount | Should -Be $Labelled.Count
        $score.UnscoredFaceCount | Should -Be 0
        $score.ClusterCount | Should -Be 1
        $score.IdentityCount | Should -Be 6
        $score.PairwiseRecall | Should -Be 1
        $score.PairwisePrecision | Should -BeExactly ($SamePairs / $AllPairs)
        $score.BCubedRecall | Should -Be 1
        $score.DoubtfulShare | Should -Be 0
    }

    It 'credits only the largest face of each labelled photo, and counts the others as unscored' {
        $photos = @($Labelled | Group-Object Path)
        @($photos | Where-Object Count -gt 1).Count | Should -BeGreaterThan 0 -Because 'the sample photos show several people'
        # Each photo's largest face alone in a cluster of its own, the other faces of all photos together in one:
        # those bystanders would join six different "people" in one cluster if they were credited.
        $largest = $photos | ForEach-Object { $_.Group | Sort-Object { -$_.Box.Width * $_.Box.Height }, FaceIndex | Select-Object -First 1 }
        $groups = @($Labelled | Invoke-FaceCluster -Algorithm Dbscan -Epsilon 3 -MinSamples 1 -AllowSamePhoto)
        $groups.Count | Should -Be 1
        $everything = Join-Path $TestDrive 'everything'
        $groups | Export-FaceCluster -LiteralPath $everything
        $manifestPath = Join-Path $everything 'faces.json'
        $manifest = Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json
        foreach ($face in $manifest.faces) {
            $isLargest = @($largest | Where-Object { $_.Path -eq $face.path -and $_.FaceIndex -eq $face.faceIndex }).Count -eq 1
            $face.clusterId = if ($isLargest) { -1 } else { 0 }
        }
        $manifest | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $manifestPath

        $score = Measure-FaceCluster -ManifestPath $manifestPath -GroundTruthPath $Truth
        $score.ItemCount | Should -Be $photos.Count
        $score.UnscoredFaceCount | Should -Be ($Labelled.Count - $photos.Count)
        $score.PairwisePrecision | Should -Be 1
        $score.DoubtfulCount | Should -Be $photos.Count

        $all = Measure-FaceCluster -ManifestPath $manifestPath -GroundTruthPath $Truth -AllFaces
        $all.ItemCount | Should -Be $Labelled.Count
        $all.UnscoredFaceCount | Should -Be 0
        $all.PairwisePrecision | Should -BeLessThan 1
    }

    It 'counts doubtful faces as singletons: precision 1, recall 0' {
        # -AllFaces: every face of a photo is its folder's person, so each person has several faces.
        $score = $Labelled | Invoke-FaceCluster -Algorithm Dbscan -Epsilon 0.000001 -MinSamples 2 | Measure-FaceCluster -GroundTruthPath $Truth -AllFaces
        $score.ClusterCount | Should -Be 0
        $score.DoubtfulShare | Should -Be 1
        $score.PairwisePrecision | Should -Be 1
        $score.PairwiseRecall | Should -Be 0
        $score.BCubedPrecision | Should -Be 1
    }

    It 'scores the faces.json of an export the same as the groups it came from' {
        $groups = @($Labelled | Invoke-FaceCluster)
        $out = Join-Path $TestDrive 'export'
        $groups | Export-FaceCluster -LiteralPath $out
        $fromPipeline = $groups | Measure-FaceCluster -GroundTruthPath $Truth
        $fromManifest = Measure-FaceCluster -ManifestPath (Join-Path $out 'faces.json') -GroundTruthPath $Truth
        $fromManifest | Should -Not -BeNullOrEmpty
        foreach ($name in 'ItemCount', 'ClusterCount', 'PairwiseF1', 'BCubedF1', 'DoubtfulCount') {
            $fromManifest.$name | Should -Be $fromPipeline.$name -Because $name
        }
        (Measure-FaceCluster -ManifestPath $out -GroundTruthPath $Truth).BCubedF1 | Should -Be $fromPipeline.BCubedF1
    }

    It 'scores groups from Import-Clixml like the live ones, and rejects an incomplete one with InvalidFaceGroup' {
        $groups = @($Labelled | Invoke-FaceCluster -Epsilon 0.7)
        $file = Join-Path $TestDrive 'groups.clixml'
        $groups | Export-Clixml -LiteralPath $file
        $copies = @(Import-Clixml -LiteralPath $file)
        $copies[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.FaceCluster.Model.FaceGroup'
        $live = $groups | Measure-FaceCluster -GroundTruthPath $Truth -AllFaces
        $copied = $copies | Measure-FaceCluster -GroundTruthPath $Truth -AllFaces -ErrorAction Stop
        ($copied | ConvertTo-Json -Compress) | Should -Be ($live | ConvertTo-Json -Compress)

        $bad = $groups[0] | Select-Object -Property * -ExcludeProperty Members
        $null = @($bad) + $groups[1..($groups.Count - 1)] | Measure-FaceCluster -GroundTruthPath $Truth -AllFaces -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Be 'InvalidFaceGroup,FaceCluster.Commands.MeasureFaceClusterCommand'
        $errs.TargetObject | Should -Be $groups[0].Label
    }

    It 'does not score faces of photos outside the ground truth' {
        $outsiders = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter sample1.jpg | Get-FaceEncoding)
        $score = @($Labelled) + $outsiders | Invoke-FaceCluster | Measure-FaceCluster -GroundTruthPath $Truth -AllFaces
        $score.ItemCount | Should -Be $Labelled.Count
        $score.UnscoredFaceCount | Should -Be $outsiders.Count
    }

    It 'reports NoLabelledFaces when no face is under the ground truth' {
        $empty = Join-Path $TestDrive 'empty-truth'
        $null = New-Item -ItemType Directory -Path $empty
        $score = $Labelled | Invoke-FaceCluster | Measure-FaceCluster -GroundTruthPath $empty -ErrorVariable errs -ErrorAction SilentlyContinue
        $score | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'NoLabelledFaces,FaceCluster.Commands.MeasureFaceClusterCommand'
    }

    It 'stops with <Id> for <Case>' -ForEach @(
        @{ Case = 'a missing ground-truth folder'; Id = 'GroundTruthNotFound'; Manifest = $null; TruthPath = 'no-such-folder' }
        @{ Case = 'a missing manifest'; Id = 'ManifestNotFound'; Manifest = 'no-such/faces.json'; TruthPath = $null }
        @{ Case = 'a file that is not a manifest'; Id = 'ManifestInvalid'; Manifest = 'not-a-manifest.json'; TruthPath = $null }
    ) {
        Set-Content -LiteralPath (Join-Path $TestDrive 'not-a-manifest.json') -Value '{"tool": "something else"}'
        $truthPath = if ($TruthPath) { Join-Path $TestDrive $TruthPath } else { $Truth }
        $invoke = if ($Manifest) {
            { Measure-FaceCluster -ManifestPath (Join-Path $TestDrive $Manifest) -GroundTruthPath $truthPath }
        }
        else {
            { $Labelled | Invoke-FaceCluster | Measure-FaceCluster -GroundTruthPath $truthPath }
        }
        $invoke | Should -Throw -ErrorId "$Id,FaceCluster.Commands.MeasureFaceClusterCommand"
    }
}
