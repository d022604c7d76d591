# The scheduled-run recipe of about_FaceCluster (Sort-Photos.ps1), taken from the help as written and run for five
# nights in fresh pwsh processes: Get-FaceEncoding -Store, Invoke-FaceCluster -Previous, Export-FaceCluster -Sync,
# with the library and the export changed between nights the way people change them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $about = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../docs/about_FaceCluster.md')
    if ($about -notmatch '(?s)Save this as Sort-Photos\.ps1:\s*```powershell\r?\n(.*?)```') { throw 'about_FaceCluster has no Sort-Photos.ps1 recipe' }
    $script:Recipe = Join-Path $TestDrive 'Sort-Photos.ps1'
    Set-Content -LiteralPath $Recipe -Value $Matches[1]

    $script:Photos = Join-Path $TestDrive 'Photos'
    $script:Sorted = Join-Path $TestDrive 'Sorted'
    $script:State = Join-Path $TestDrive 'state'
    $script:Store = Join-Path $State 'faces.db'
    $script:Log = Join-Path $State 'sort-photos.log'
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $Photos '2025'), (Join-Path $Photos '2024'), $State
    # Each sample twice: as it is, and in 2024 with one more byte at the end (other content, the same picture), so
    # every person has two photos of each face and keeps some after the user deletes one.
    foreach ($sample in Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg) {
        Copy-Item -LiteralPath $sample.FullName -Destination (Join-Path $Photos '2025')
        $bytes = [IO.File]::ReadAllBytes($sample.FullName)
        [IO.File]::WriteAllBytes((Join-Path $Photos "2024/$($sample.Name)"), [byte[]] ($bytes + [byte] 0))
    }

    function Invoke-Night([int] $ExitCode = 0) {
        # One scheduled run, as cron would start it: a fresh pwsh that finds the module by name.
        $modules = Split-Path -Parent $ModuleDirectory
        $run = Invoke-ChildPwsh "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; & '$Recipe' -Photos '$Photos' -Sorted '$Sorted' -Store '$Store' -Log '$Log'; exit `$LASTEXITCODE"
        $run.ExitCode | Should -Be $ExitCode -Because $run.Output
        @(Get-Content -LiteralPath $Log)[-1]
    }

    function Get-Manifest { Get-Content -Raw -LiteralPath (Join-Path $Sorted 'faces.json') | ConvertFrom-Json }

    function Get-LibraryState {
        Get-ChildItem -LiteralPath $Photos -Recurse -File | Sort-Object FullName |
            ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks }
    }

    function Assert-ExportMatchesManifest {
        # Every face's file is where faces.json says (unless the user deleted it), and every photo in a person's
        # folder is one faces.json lists: nothing lost, nothing mixed.
        $manifest = Get-Manifest
        $manifest.complete | Should -BeTrue
        $listed = @($manifest.faces | Where-Object destination | ForEach-Object { [IO.Path]::GetFullPath((Join-Path $Sorted $_.destination)) })
        foreach ($cluster in $manifest.clusters) {
            $folder = Join-Path $Sorted $cluster.folder
            foreach ($file in Get-ChildItem -LiteralPath $folder -File -ErrorAction Ignore | Where-Object Name -NE 'representative.jpg') {
                $listed | Should -Contain $file.FullName
            }
        }
        Test-Path -LiteralPath (Join-Path $Sorted 'index.html') | Should -BeTrue
    }
}

Describe 'Five nights of the scheduled-run recipe' {
    It 'night 1: encodes every photo into the store and exports them' {
        $line = Invoke-Night
        $line | Should -Match ' seen 12, new 12, from the store 0, failed 0; people \d+; added \d+, moved 0, removed 0,'
        $script:People = @((Get-Manifest).clusters | Where-Object id -GE 0)
        $People.Count | Should -BeGreaterThan 0
        $People[0].photoCount | Should -BeGreaterThan 2 -Because 'the largest person keeps a photo after the user deletes one'
        Assert-ExportMatchesManifest
    }

    It 'night 2: a new photo, a person the user named by renaming the folder, a photo the user deleted' {
        $before = Get-LibraryState
        $person = $People[0]
        $alice = Join-Path $Sorted 'Alice'
        Rename-Item -LiteralPath (Join-Path $Sorted $person.folder) -NewName 'Alice'
        $script:Deleted = @(Get-ChildItem -LiteralPath $alice -File | Where-Object Name -NE 'representative.jpg')[0]
        Remove-Item -LiteralPath $Deleted.FullName
        Set-Content -LiteralPath (Join-Path $Sorted 'my notes.txt') -Value 'mine'
        # A new photo: one of the samples again, under a new name (the store knows its content).
        Copy-Item -LiteralPath (Join-Path $Photos '2025/sample2.jpg') -Destination (Join-Path $Photos 'new.jpg')

        $line = Invoke-Night
        $line | Should -Match ' seen 13, new 0, from the store 13, failed 0;'
        $manifest = Get-Manifest
        $named = @($manifest.clusters | Where-Object id -EQ $person.id)
        $named.Count | Should -Be 1
        $named[0].name | Should -Be 'Alice'
        $named[0].folder | Should -Be 'Alice'
        Test-Path -LiteralPath (Join-Path $Sorted $person.folder) | Should -BeFalse -Because 'the renamed folder is the person''s, not a duplicate'
        Test-Path -LiteralPath $Deleted.FullName | Should -BeFalse -Because 'a photo the user deleted stays deleted'
        @($manifest.faces | Where-Object path -Like '*new.jpg').Count | Should -BeGreaterThan 0
        Get-Content -LiteralPath (Join-Path $Sorted 'my notes.txt') | Should -Be 'mine'
        Assert-ExportMatchesManifest
        Get-LibraryState | Where-Object { $_ -notlike '*new.jpg|*' } | Should -Be $before
    }

    It 'night 3: a photo removed from the library and one moved; the name and the deletion still hold' {
        Remove-Item -LiteralPath (Join-Path $Photos 'new.jpg')
        $null = New-Item -ItemType Directory -Path (Join-Path $Photos '2026')
        Move-Item -LiteralPath (Join-Path $Photos '2025/sample3.jpg') -Destination (Join-Path $Photos '2026/sample3.jpg')

        $line = Invoke-Night
        $line | Should -Match ' seen 12, new 0, from the store 12, failed 0;'
        $line | Should -Match ' removed [1-9]'
        $manifest = Get-Manifest
        @($manifest.faces | Where-Object path -Like '*new.jpg').Count | Should -Be 0
        @($manifest.faces | Where-Object path -Like '*2026*sample3.jpg').Count | Should -BeGreaterThan 0
        @($manifest.clusters | Where-Object id -EQ $People[0].id)[0].name | Should -Be 'Alice'
        Test-Path -LiteralPath $Deleted.FullName | Should -BeFalse
        Get-Content -LiteralPath (Join-Path $Sorted 'my notes.txt') | Should -Be 'mine'
        Assert-ExportMatchesManifest
        @(Get-Content -LiteralPath $Log).Count | Should -Be 3 -Because 'one summary line a night and no errors'
    }

    It 'night 4: a photo that cannot be read is logged and listed on the review page, and the run fails' {
        $broken = Join-Path $Photos '2026/broken.jpg'
        Set-Content -LiteralPath $broken -Value 'this is not a photo'

        $null = Invoke-Night -ExitCode 1
        $lines = @(Get-Content -LiteralPath $Log)
        $lines.Count | Should -Be 5 -Because 'a summary line and one error line'
        $lines[-2] | Should -Match ' seen 13, new 1, from the store 12, failed 1;'
        $lines[-1] | Should -Match "ImageNotAnImage  $([regex]::Escape($broken))$"
        $failed = @((Get-Manifest).failedPhotos)
        $failed.path | Should -Be $broken
        $failed.errorId | Should -Be 'ImageNotAnImage'
        Get-Content -Raw -LiteralPath (Join-Path $Sorted 'index.html') |
            Should -Match ([regex]::Escape("<code>$([Net.WebUtility]::HtmlEncode($broken))</code> <span class=`"error-id`">ImageNotAnImage</span>"))
        Assert-ExportMatchesManifest
    }

    It 'night 5: half the library unreachable; the sync is refused and logged, and the export is left as it was' {
        $away = Join-Path $TestDrive 'unmounted'
        Move-Item -LiteralPath (Join-Path $Photos '2024') -Destination $away
        # Every file of the export, byte for byte and with its time (corrections.json is Invoke-FaceCluster's).
        function Get-ExportBytes {
            Get-ChildItem -LiteralPath $Sorted -Recurse -Force -File | Where-Object Name -NE 'corrections.json' | Sort-Object FullName |
                ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks }
        }
        try {
            $before = Get-ExportBytes
            $null = Invoke-Night -ExitCode 1
            @(Get-Content -LiteralPath $Log)[-1] | Should -Match "ExportWouldShrink  $([regex]::Escape($Sorted))$"
            Get-ExportBytes | Should -Be $before
        }
        finally { Move-Item -LiteralPath $away -Destination (Join-Path $Photos '2024') }
    }
}
