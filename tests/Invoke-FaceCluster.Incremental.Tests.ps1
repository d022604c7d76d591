# Nightly runs: Invoke-FaceCluster -Previous places only the new faces unless a full clustering is due or
# -Recluster asks for one; the groups say which ran and why.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $script:Photos = Join-Path $TestDrive 'photos'
    New-Item -ItemType Directory -Path $Photos | Out-Null
    . (Join-Path $PSScriptRoot 'SyntheticPeople.ps1')

    $script:Out = Join-Path $TestDrive 'out'
    $script:First = @(New-Faces a 0 (0..9)) + @(New-Faces b 1 (0..9)) + @(New-Faces c 2 (0..9))
    $First | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $Out | Out-Null
    $script:Night = $First + @(New-Faces b 1 10)
}

Describe 'Invoke-FaceCluster -Previous, night after night' {
    It 'places only the new faces when few are new, and says so' {
        $groups = @($Night | Invoke-FaceCluster -Epsilon 0.3 -Previous $Out -Verbose 4>&1)
        $verbose = @($groups | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $groups = @($groups | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $groups.Clustering.Run | Sort-Object -Unique | Should -Be 'Incremental'
        $groups[0].Clustering.RunReason | Should -Match '^1 new face\(s\); 3\.2% of the faces are new'
        $groups[0].Clustering.PlacedSinceFullRun | Should -Be 1
        @($verbose.Message -like 'Incremental run (1 new face(s)*: the earlier people kept, 1 face(s) joined them;*') | Should -HaveCount 1
        ($groups | Where-Object { $_.Photos -contains (Join-Path $Photos 'b10.jpg') }).Photos | Should -Contain (Join-Path $Photos 'b0.jpg')
    }

    It 'clusters every face with -Recluster, and says so' {
        $groups = @($Night | Invoke-FaceCluster -Epsilon 0.3 -Previous $Out -Recluster -Verbose 4>&1)
        $verbose = @($groups | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $groups = @($groups | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $groups.Clustering.Run | Sort-Object -Unique | Should -Be 'Full'
        $groups[0].Clustering.RunReason | Should -Be '-Recluster asked for a full clustering'
        $groups[0].Clustering.PlacedSinceFullRun | Should -Be 0
        $verbose | Should -Contain 'Full clustering: -Recluster asked for a full clustering.'
        $groups.Id | Sort-Object | Should -Be @(0, 1, 2)
    }

    It 'clusters every face when the settings changed' {
        $groups = @($Night | Invoke-FaceCluster -Epsilon 0.25 -Previous $Out)
        $groups[0].Clustering.Run | Should -Be 'Full'
        $groups[0].Clustering.RunReason | Should -Be 'the settings changed (threshold 0.3 to 0.25)'
    }

    It 'records the run in faces.json, so the next night counts on from it' {
        $Night | Invoke-FaceCluster -Epsilon 0.3 -Previous $Out | Export-FaceCluster -Path $Out -Sync | Out-Null
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $Out 'faces.json') | ConvertFrom-Json
        $manifest.clustering.run | Should -Be 'Incremental'
        $manifest.clustering.placedSinceFullRun | Should -Be 1

        $groups = @($Night + @(New-Faces c 2 10) | Invoke-FaceCluster -Epsilon 0.3 -Previous $Out)
        $groups[0].Clustering.Run | Should -Be 'Incremental'
        $groups[0].Clustering.PlacedSinceFullRun | Should -Be 2
    }

    It 'warns that -Recluster needs -Previous' {
        $null = $First | Invoke-FaceCluster -Epsilon 0.3 -Recluster -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -Match '-Recluster applies with -Previous only'
    }
}
