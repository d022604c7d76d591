# The review page edits, offline: each page action made in a real browser (Debian's chromium, headless, through
# Microsoft.Playwright) with clicks and keys, the changes downloaded as one file, applied with
# Import-FaceClusterCorrection as the page's first line says, kept by the next Invoke-FaceCluster -Previous and
# Export-FaceCluster -Sync. Then the errors a wrong, changed or broken file gives, with nothing applied.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'BrowserSupport.ps1')

    $script:Photos = Join-Path $TestDrive 'photos'
    $null = New-Item -ItemType Directory -Path $Photos
    . (Join-Path $PSScriptRoot 'SyntheticPeople.ps1')
    # A hostile photo name: it must stay data in the page, the downloaded file and the corrections.
    $script:Hostile = "a7 it's `$(Get-Date); x #1"
    $names = @(0..6 | ForEach-Object { "a$_" }) + $Hostile + @(0..3 | ForEach-Object { "b$_" }) + @(0..2 | ForEach-Object { "c$_" }) +
        @(0..2 | ForEach-Object { "d$_" }) + 'z0', 'z1', 'z2'
    foreach ($name in $names) {
        # Distinct bytes per photo (a sample with its name appended), so each has its own content key.
        [IO.File]::WriteAllBytes((Join-Path $Photos "$name.jpg"), [byte[]]@([IO.File]::ReadAllBytes((Join-Path $SamplesDirectory 'sample1.jpg')) + [Text.Encoding]::UTF8.GetBytes($name)))
    }
    # Four people (a: 8 faces, b: 4, c and d: 3) and three faces far from everyone and each other (z0, z1, z2): doubtful.
    $facesOfA = @(0..6 | ForEach-Object { New-Face "a$_" 0 $_ }) + (New-Face $Hostile 0 7)
    $script:Faces = $facesOfA + @(New-Faces b 1 (0..3)) + @(New-Faces c 2 (0..2)) + @(New-Faces d 4 (0..2)) + (New-Face z0 6 0) + (New-Face z1 7 0) + (New-Face z2 5 0)
    # An export folder whose name needs quoting in PowerShell and percent-encoding in a link.
    $script:Out = Join-Path $TestDrive "export it's `$x [1] #1"
    $Faces | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -LiteralPath $Out -ErrorAction Stop
    $script:First = Get-Content -Raw -LiteralPath (Join-Path $Out 'faces.json') | ConvertFrom-Json

    function Get-PersonOf([string] $Name) {
        @($First.faces | Where-Object { [IO.Path]::GetFileNameWithoutExtension($_.path) -eq $Name })[0].clusterId
    }

    $script:Downloads = Join-Path $TestDrive 'downloads'
    $null = New-Item -ItemType Directory -Path $Downloads
    $script:Chromium = Start-Chromium
    $script:Page = New-BrowserPage $Chromium
    $null = Register-ObjectEvent -InputObject $Page -EventName PageError -SourceIdentifier EditsPageError

    function Open-Page([string] $RelativePath) {
        $null = Wait-Task ($Page.GotoAsync((ConvertTo-FileUrl (Join-Path $Out $RelativePath))))
        $null = Wait-Task ($Page.WaitForLoadStateAsync([Microsoft.Playwright.LoadState]::Load))
    }
    function Invoke-Json([string] $Expression) { Invoke-PageJson $Page $Expression }
    function Click([string] $Selector) { $null = Wait-Task ($Page.ClickAsync($Selector)) }
    function Press([string] $Key) { $null = Wait-Task ($Page.Keyboard.PressAsync($Key)) }
    function Type-Text([string] $Text) { $null = Wait-Task ($Page.Keyboard.TypeAsync($Text)) }
    function Face([string] $Name) { 'button.pick.face:has(img[alt="{0}.jpg, face 0"])' -f $Name.Replace('\', '\\').Replace('"', '\"') }
    function Person([int] $Id) { 'section.card button.pick[data-person="{0}"]' -f $Id }
    function Get-Pending { @(Invoke-Json '[...document.querySelectorAll(".editbar .pending li")].map(li => li.firstChild.textContent.trim())') }
    function Get-PageErrors {
        foreach ($e in @(Get-Event -SourceIdentifier EditsPageError -ErrorAction Ignore)) { "page error: $($e.SourceArgs[1])" }
        Remove-Event -SourceIdentifier EditsPageError -ErrorAction Ignore
    }
    function Save-Download([string] $Name) {
        # Waits for the download the D key starts and keeps it under $Downloads.
        $waiting = $Page.WaitForDownloadAsync()
        Press 'd'
        $download = Wait-Task $waiting
        $path = Join-Path $Downloads $Name
        $null = Wait-Task ($download.SaveAsAsync($path))
        $download.SuggestedFilename | Should -Be 'facecluster-edits.json'
        $path
    }
}

AfterAll {
    Unregister-Event -SourceIdentifier EditsPageError -ErrorAction Ignore
    Stop-Chromium $Chromium
}

Describe 'The review page edits, offline' {
    BeforeAll {
        $script:IdA = Get-PersonOf a0; $script:IdB = Get-PersonOf b0; $script:IdC = Get-PersonOf c0; $script:IdD = Get-PersonOf d0
        @($IdA, $IdB, $IdC, $IdD) | Sort-Object -Unique | Should -HaveCount 4
        (Get-PersonOf z0), (Get-PersonOf z1), (Get-PersonOf z2) | Should -Be -1, -1, -1
    }

    It 'makes each change with clicks and keys, keeps it across pages, and lets one be removed' {
        Open-Page 'index.html'
        # Name: select person b with the keyboard (focus, Enter), N, type, Enter.
        $null = Wait-Task ($Page.FocusAsync((Person $IdB)))
        Press 'Enter'
        Invoke-Json ('document.querySelector(''{0}'').getAttribute("aria-pressed")' -f (Person $IdB)) | Should -Be 'true'
        Press 'n'
        Type-Text 'Bob'
        Press 'Enter'
        # Merge: c by a click, d by focus and Space, then the Merge button: d goes into c, the first selected.
        Click (Person $IdC)
        $null = Wait-Task ($Page.FocusAsync((Person $IdD)))
        Press ' '
        Click '.editbar button[data-do="merge"]'
        Get-Pending | Should -Be "Name cluster_$IdB (id $IdB) `"Bob`"", "Merge cluster_$IdD (id $IdD) into cluster_$IdC (id $IdC)"

        Open-Page "review/person-$IdA.html"
        # Move to a person: the hostile photo's face into b (T, the id, Enter).
        Click (Face $Hostile)
        Press 't'
        Type-Text "$IdB"
        Press 'Enter'
        # Split: a5 and a6 off a, as a new person (the button).
        Click (Face a5)
        Click (Face a6)
        Click '.editbar button[data-do="split"]'
        # Not this person: a4 (R).
        Click (Face a4)
        Press 'r'
        # A change to take back before the download: a0 hidden, then removed from the list.
        Click (Face a0)
        Press 'h'
        (Get-Pending)[-1] | Should -Be 'Hide 1 face: not a face'
        Click '.editbar .pending li:last-child button[data-do="unpend"]'

        Open-Page "review/person-$IdC.html"
        # Not a face: c2 (H).
        Click (Face c2)
        Press 'h'

        Open-Page 'review/doubtful.html'
        # Each doubtful face shows the face of the person it lies nearest.
        @(Invoke-Json '[...document.querySelectorAll("figure.doubtful")].map(f => f.querySelector("img.near") !== null)') | Should -Be $true, $true, $true
        # New person: z0 alone (P). Move to the nearest person: z1 by its "Is <person>" button. Move to a person:
        # z2 into a (T, the id, Enter).
        Click (Face z0)
        Press 'p'
        $script:NearZ1 = [int] (Invoke-Json ('document.querySelector(''{0}'').dataset.nearest' -f (Face z1)))
        Click ('figure.doubtful:has(img[alt="z1.jpg, face 0"]) button[data-quick="move"]')
        Click (Face z2)
        Press 't'
        $null = Wait-Task ($Page.FillAsync('#edit-answer', "$IdA"))
        Press 'Enter'

        Get-Pending | Should -Be @(
            "Name cluster_$IdB (id $IdB) `"Bob`"", "Merge cluster_$IdD (id $IdD) into cluster_$IdC (id $IdC)", "Move 1 face to person $IdB",
            "Split 2 faces off person $IdA as a new person", "Take 1 face out of person $IdA", 'Hide 1 face: not a face',
            'Make 1 face a new person', "Move z1.jpg, face 0 to person $NearZ1", "Move 1 face to person $IdA")
        # Faces in a pending change are marked.
        Invoke-Json ('document.querySelector(''{0}'').classList.contains("edited")' -f (Face z2)) | Should -BeTrue
        @(Get-PageErrors) | Should -BeNullOrEmpty
    }

    It 'downloads them as one file that the command on the page applies, all of them' {
        Open-Page 'index.html'
        $script:Edits = Save-Download 'facecluster-edits.json'
        @(Get-Content -LiteralPath $Edits).Count | Should -Be 1
        (Get-Content -Raw -LiteralPath $Edits | ConvertFrom-Json).edits.Count | Should -Be 9

        # The command exactly as the page shows it, run in the folder the file was downloaded to.
        $command = Invoke-Json 'document.querySelector(".apply code.command").textContent'
        $env:PSModulePath = (Split-Path -Parent $ModuleDirectory) + [IO.Path]::PathSeparator + $env:PSModulePath
        Push-Location -LiteralPath $Downloads
        try { $ErrorActionPreference = 'Stop'; $made = @(& ([scriptblock]::Create($command))) } finally { Pop-Location }

        $made | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'FaceCluster.Engine.People.FaceClusterCorrection' }
        ($made | Group-Object Kind | Sort-Object Name | ForEach-Object { '{0}:{1}' -f $_.Name, $_.Count }) | Should -Be 'Hide:1', 'Merge:1', 'Move:6', 'Name:1', 'Removal:1'
        $listed = @(Get-FaceClusterCorrection -LiteralPath $Out)
        $listed.Count | Should -Be $made.Count
        ($listed | Where-Object Kind -EQ Move | Where-Object Photo -Like '*a7 it*').Photo | Should -Be (Join-Path $Photos "$Hostile.jpg")
        ($listed | Where-Object Kind -EQ Hide).Photo | Should -Be (Join-Path $Photos 'c2.jpg') -Because 'the a0 change was removed before the download'
    }

    It 'is kept by the next Invoke-FaceCluster -Previous and Export-FaceCluster -Sync, in the folders' {
        $Faces | Invoke-FaceCluster -Epsilon 0.3 -Previous $Out -WarningAction SilentlyContinue | Export-FaceCluster -LiteralPath $Out -Sync -ErrorAction Stop
        $manifest = Get-Content -Raw -LiteralPath (Join-Path $Out 'faces.json') | ConvertFrom-Json
        $folders = @{}
        foreach ($cluster in $manifest.clusters) {
            $folders[$cluster.id] = @(Get-ChildItem -LiteralPath (Join-Path $Out $cluster.folder) -Filter *.jpg |
                Where-Object Name -NE 'representative.jpg' | ForEach-Object { $_.BaseName } | Sort-Object)
        }
        function Folder-Of([string] $Name) { @($manifest.clusters | Where-Object { $folders[$_.id] -contains $Name }) }

        (Folder-Of b0).folder | Should -Be 'Bob'
        # z1 went to the person its page named nearest (d's faces are c's now); the other faces, exactly:
        (Folder-Of z1).id | Should -Be $(if ($NearZ1 -eq $IdD) { $IdC } else { $NearZ1 })
        @($folders[$IdB] | Where-Object { $_ -ne 'z1' }) | Should -Be @('b0', 'b1', 'b2', 'b3', $Hostile | Sort-Object)
        @($folders[$IdA] | Where-Object { $_ -ne 'z1' }) | Should -Be 'a0', 'a1', 'a2', 'a3', 'z2'
        @($folders[$IdC] | Where-Object { $_ -ne 'z1' }) | Should -Be 'c0', 'c1', 'd0', 'd1', 'd2'
        $folders.ContainsKey($IdD) | Should -BeFalse -Because "person $IdD was merged into $IdC"
        $split = Folder-Of a5
        $split.id | Should -BeGreaterThan ($First.clusters.id | Measure-Object -Maximum).Maximum
        # a4, taken out of a, may join the split-off faces it lies near: it never joins a again.
        @($folders[$split.id] | Where-Object { $_ -ne 'a4' }) | Should -Be 'a5', 'a6'
        $new = Folder-Of z0
        $new.id | Should -Not -Be $split.id
        $new.id | Should -BeGreaterThan ($First.clusters.id | Measure-Object -Maximum).Maximum
        $folders[$new.id] | Should -Be 'z0'
        (Folder-Of c2).id | Should -Be -1 -Because 'a hidden face stays among the doubtful faces'
        (Folder-Of a4).id | Should -Not -Be $IdA
    }

    It 'refuses the same file now that the export has changed: EditsWrongExport, nothing applied' {
        $before = Get-Content -Raw -LiteralPath (Join-Path $Out 'corrections.json')
        $null = Import-FaceClusterCorrection -LiteralPath $Out -FilePath $Edits -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EditsWrongExport,FaceCluster.Commands.*'
        Get-Content -Raw -LiteralPath (Join-Path $Out 'corrections.json') | Should -Be $before
    }
}

Describe 'Import-FaceClusterCorrection refuses a file it cannot trust, whole' {
    BeforeAll {
        $script:Plain = Join-Path $TestDrive 'plain'
        $Faces | Invoke-FaceCluster -Epsilon 0.3 | Export-FaceCluster -Path $Plain -ErrorAction Stop
        $script:Key = (Get-FileHash -LiteralPath (Join-Path $Plain 'faces.json') -Algorithm SHA256).Hash.ToLowerInvariant()
        $script:PlainManifest = Get-Content -Raw -LiteralPath (Join-Path $Plain 'faces.json') | ConvertFrom-Json
        $script:PersonA = @($PlainManifest.faces | Where-Object { $_.path -like '*a0.jpg' })[0].clusterId

        function New-EditsFile([string] $Name, [object[]] $Edits, [string] $Export = $Key) {
            New-ReviewEditsFile -Export $Plain -Edits $Edits -Path (Join-Path $TestDrive $Name) -Key $Export
        }
        function Get-ImportError([string[]] $File) {
            $null = Import-FaceClusterCorrection -LiteralPath $Plain -FilePath $File -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 1
            Test-Path -LiteralPath (Join-Path $Plain 'corrections.json') | Should -BeFalse -Because 'nothing is applied'
            $failed[0]
        }
        $script:Rename = [ordered]@{ action = 'name'; id = $PersonA; name = 'Ann' }
    }

    It 'applies a sound file, and -WhatIf writes nothing' {
        $file = New-EditsFile 'sound.json' @($Rename)
        Import-FaceClusterCorrection -LiteralPath $Plain -FilePath $file -WhatIf
        Test-Path -LiteralPath (Join-Path $Plain 'corrections.json') | Should -BeFalse
        $made = @(Import-FaceClusterCorrection -LiteralPath $Plain -FilePath $file)
        $made.Kind | Should -Be 'Name'
        $made | Undo-FaceClusterCorrection
        Remove-Item -LiteralPath (Join-Path $Plain 'corrections.json')
    }

    It 'applies several files together, or none of them when one is refused' {
        $one = New-EditsFile 'one.json' @($Rename)
        $two = New-EditsFile 'two.json' @([ordered]@{ action = 'hide'; faces = @([ordered]@{ photo = (Join-Path $Photos 'c2.jpg'); faceIndex = 0 }) })
        $bad = New-EditsFile 'bad.json' @($Rename) -Export ('0' * 64)
        $failed = Get-ImportError $one, $bad
        $failed.FullyQualifiedErrorId | Should -BeLike 'EditsWrongExport,*'
        $made = @(Import-FaceClusterCorrection -LiteralPath $Plain -FilePath $one, $two)
        $made.Kind | Should -Be 'Name', 'Hide'
        Remove-Item -LiteralPath (Join-Path $Plain 'corrections.json')
    }

    It 'gives <ErrorId> for <Case>' -ForEach @(
        @{ Case = 'an unknown face after a sound edit'; ErrorId = 'FaceNotFound'; Target = 'folder'
            Make = { New-EditsFile 'face.json' @($Rename, [ordered]@{ action = 'hide'; faces = @([ordered]@{ photo = (Join-Path $Photos 'nobody.jpg'); faceIndex = 0 }) }) } }
        @{ Case = 'an unknown person'; ErrorId = 'PersonNotFound'; Target = 'folder'
            Make = { New-EditsFile 'person.json' @($Rename, [ordered]@{ action = 'merge'; id = 99; into = $PersonA }) } }
        @{ Case = 'a file of another export'; ErrorId = 'EditsWrongExport'; Target = 'folder'
            Make = { New-EditsFile 'other.json' @($Rename) -Export ('0' * 64) } }
        @{ Case = 'a file changed since it was sealed'; ErrorId = 'EditsTampered'; Target = 'file'
            Make = { $f = New-EditsFile 'tampered.json' @($Rename); (Get-Content -Raw -LiteralPath $f).Replace('"Ann"', '"Eve"') | Set-Content -LiteralPath $f -NoNewline; $f } }
        @{ Case = 'a file that is not JSON'; ErrorId = 'EditsMalformed'; Target = 'file'
            Make = { $f = Join-Path $TestDrive 'broken.json'; Set-Content -LiteralPath $f -Value '{"tool":"FaceCluster","kind":"reviewEd'; $f } }
        @{ Case = 'a missing file'; ErrorId = 'EditsFileNotFound'; Target = 'file'
            Make = { Join-Path $TestDrive 'missing.json' } }
    ) {
        $file = & $Make
        $failed = Get-ImportError $file
        $failed.FullyQualifiedErrorId | Should -BeLike "$ErrorId,FaceCluster.Commands.ImportFaceClusterCorrectionCommand"
        $failed.TargetObject | Should -Be $(if ($Target -eq 'file') { $file } else { $Plain })
        $failed.Exception.Message | Should -BeLike "*$([IO.Path]::GetFileName($file))*"
    }
}
