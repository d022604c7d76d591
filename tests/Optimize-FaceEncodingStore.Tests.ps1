# Optimize-FaceEncodingStore: the photos whose files are gone leave the store; a library that is only partly there
# (a share not mounted) removes nothing.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $script:Photos = Join-Path $TestDrive 'photos'
    $script:Store = Join-Path $TestDrive 'faces.db'
    $null = New-Item -ItemType Directory -Path $Photos
    foreach ($n in 1..6) { Copy-Item -LiteralPath (Join-Path $SamplesDirectory "sample$n.jpg") -Destination $Photos }
    # The same bytes under a second name: one photo, two paths (11 paths, 6 photos).
    foreach ($n in 1, 3, 4, 5, 6) { Copy-Item -LiteralPath (Join-Path $Photos "sample$n.jpg") -Destination (Join-Path $Photos "copy-of-$n.jpg") }
    $script:Faces = @(Get-ChildItem -LiteralPath $Photos -File | Get-FaceEncoding -Store $Store)
    function Get-FromStore {
        $verbose = @(Get-ChildItem -LiteralPath $Photos -File | Get-FaceEncoding -Store $Store -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        if ((@($verbose.Message -match 'image\(s\) from the store')[-1]) -match '(\d+) image\(s\) from the store') { [int] $Matches[1] } else { -1 }
    }
}

Describe 'Optimize-FaceEncodingStore' {
    It 'counts the gone photos with -WhatIf and removes nothing' {
        Remove-Item -LiteralPath (Join-Path $Photos 'sample2.jpg')
        $summary = Optimize-FaceEncodingStore -Path $Store -WhatIf
        $summary.KnownPaths | Should -Be 11
        $summary.GonePaths | Should -Be 1
        $summary.RemovedPaths | Should -Be 0
        Copy-Item -LiteralPath (Join-Path $SamplesDirectory 'sample2.jpg') -Destination $Photos
        Get-FromStore | Should -Be 11
    }

    It 'forgets a deleted photo and its faces, and keeps a photo another path still shows' {
        $faces2 = @($Faces | Where-Object { [IO.Path]::GetFileName($_.Path) -eq 'sample2.jpg' }).Count
        Remove-Item -LiteralPath (Join-Path $Photos 'sample2.jpg'), (Join-Path $Photos 'sample1.jpg')
        $summary = Get-Item -LiteralPath $Store | Optimize-FaceEncodingStore
        $summary.Path | Should -Be $Store
        $summary.GonePaths | Should -Be 2
        $summary.RemovedPaths | Should -Be 2
        $summary.RemovedPhotos | Should -Be 1 -Because 'copy-of-1.jpg still shows sample1'
        $summary.RemovedFaces | Should -Be $faces2
        Get-FromStore | Should -Be 9
        (Optimize-FaceEncodingStore -Path $Store).KnownPaths | Should -Be 9
    }

    It 'removes nothing while the library is not mounted, or only half, and says how to go on' {
        Rename-Item -LiteralPath $Photos -NewName 'away'
        try {
            $summary = Optimize-FaceEncodingStore -Path $Store -ErrorVariable failed -ErrorAction SilentlyContinue
            $summary | Should -BeNullOrEmpty
            $failed.FullyQualifiedErrorId | Should -Be 'EncodingStoreWouldShrink,FaceCluster.Commands.OptimizeFaceEncodingStoreCommand'
            $failed.TargetObject | Should -Be $Store
            $failed.Exception.Message | Should -Match '9 of the 9 photo paths .* \(9 of them with their whole folder\).*Nothing was removed.*-AllowShrink'
        }
        finally { Rename-Item -LiteralPath (Join-Path $TestDrive 'away') -NewName 'photos' }
        Get-FromStore | Should -Be 9

        # Two of nine photos unreachable (more than a fifth): refused too.
        $half = Join-Path $TestDrive 'half'
        $null = New-Item -ItemType Directory -Path $half
        Get-ChildItem -LiteralPath $Photos -File | Select-Object -First 2 | Move-Item -Destination $half
        Optimize-FaceEncodingStore -Path $Store -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.FullyQualifiedErrorId | Should -Match '^EncodingStoreWouldShrink'
        Get-ChildItem -LiteralPath $half -File | Move-Item -Destination $Photos
        Get-FromStore | Should -Be 9
    }

    It 'removes them all with -AllowShrink' {
        Rename-Item -LiteralPath $Photos -NewName 'gone'
        $summary = Optimize-FaceEncodingStore -Path $Store -AllowShrink -Confirm:$false
        $summary.RemovedPaths | Should -Be 9
        $summary.RemovedPhotos | Should -Be 5
        (Optimize-FaceEncodingStore -Path $Store).KnownPaths | Should -Be 0
    }

    It 'reports a store that is not there' {
        Optimize-FaceEncodingStore -LiteralPath (Join-Path $TestDrive 'none.db') -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.FullyQualifiedErrorId | Should -Match '^EncodingStoreNotFound'
        Join-Path $TestDrive 'none.db' | Should -Not -Exist
    }
}
