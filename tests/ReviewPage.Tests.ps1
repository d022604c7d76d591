# The review page that Export-FaceCluster writes, opened in a real browser: Debian's chromium, driven headless by
# Microsoft.Playwright (restored from NuGet by build/Playwright.csproj; it never downloads a browser).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'BrowserSupport.ps1')
    function Get-InterfaceProperty([object] $Object, [type] $Interface, [string] $Name) { $Interface.GetProperty($Name).GetValue($Object) }

    # The sample export, in a folder whose name needs quoting in PowerShell, is a wildcard pattern there (the
    # brackets) and needs percent-encoding in a link. At the
    # default threshold the six group photos share one person; a looser one gives several, so the page has people to
    # merge as well as doubtful faces.
    $script:Out = Join-Path $TestDrive "sample export [1], it's #1"
    $script:Encodings = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding)
    # A photo that cannot be read, passed to the export so its page lists it.
    $script:Broken = Join-Path $TestDrive 'not a photo #1.jpg'
    Set-Content -LiteralPath $Broken -Value 'this is not a photo'
    $null = Get-FaceEncoding -LiteralPath $Broken -ErrorAction SilentlyContinue -ErrorVariable failed
    $Encodings | Invoke-FaceCluster -Epsilon 0.7 | Export-FaceCluster -LiteralPath $Out -EncodingError $failed -ErrorAction Stop
    $script:Manifest = Get-Content -Raw -LiteralPath (Join-Path $Out 'faces.json') | ConvertFrom-Json
    $script:People = @($Manifest.clusters | Where-Object id -GE 0)
    $script:Pages = @(Get-ChildItem -LiteralPath $Out -Filter *.html) + @(Get-ChildItem -LiteralPath (Join-Path $Out 'review') -Filter *.html)

    $script:Chromium = Start-Chromium
    $script:Page = New-BrowserPage $Chromium
    $null = Register-ObjectEvent -InputObject $Page -EventName Console -SourceIdentifier ReviewConsole
    $null = Register-ObjectEvent -InputObject $Page -EventName PageError -SourceIdentifier ReviewPageError

    function Open-Page([string] $Path) {
        # Opens a page and scrolls through it, so every lazy image has come into view and loaded.
        $null = Wait-Task ($Page.GotoAsync((ConvertTo-FileUrl $Path)))
        $null = Wait-Task ($Page.EvaluateAsync('async () => { for (let y = 0; y <= document.body.scrollHeight; y += 400) { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 20)); } window.scrollTo(0, 0); }', $null))
        Wait-Task ($Page.WaitForLoadStateAsync([Microsoft.Playwright.LoadState]::NetworkIdle))
    }

    function Invoke-Json([string] $Expression) { Invoke-PageJson $Page $Expression }

    function Get-Problems {
        # Console errors and warnings (a missing image is one: 'Failed to load resource') and uncaught page errors.
        Start-Sleep -Milliseconds 100
        # Playwright's events are EventHandler<T> with T no EventArgs: PowerShell passes the T as SourceArgs[1].
        foreach ($e in @(Get-Event -SourceIdentifier ReviewConsole -ErrorAction Ignore)) {
            $message = $e.SourceArgs[1]
            $type = Get-InterfaceProperty $message ([Microsoft.Playwright.IConsoleMessage]) 'Type'
            if ($type -in 'error', 'warning') { "console ${type}: " + (Get-InterfaceProperty $message ([Microsoft.Playwright.IConsoleMessage]) 'Text') }
        }
        foreach ($e in @(Get-Event -SourceIdentifier ReviewPageError -ErrorAction Ignore)) { "page error: $($e.SourceArgs[1])" }
        Remove-Event -SourceIdentifier ReviewConsole -ErrorAction Ignore
        Remove-Event -SourceIdentifier ReviewPageError -ErrorAction Ignore
    }
}

AfterAll {
    Unregister-Event -SourceIdentifier ReviewConsole -ErrorAction Ignore
    Unregister-Event -SourceIdentifier ReviewPageError -ErrorAction Ignore
    Stop-Chromium $Chromium
}

Describe 'The review page of the sample export' {
    It 'is written with its person pages and thumbnails' {
        Test-Path -LiteralPath (Join-Path $Out 'index.html') | Should -BeTrue
        $People.Count | Should -BeGreaterThan 1
        foreach ($person in $People) { Test-Path -LiteralPath (Join-Path $Out "review/person-$($person.id).html") | Should -BeTrue }
        @(Get-ChildItem -LiteralPath (Join-Path $Out 'review/thumbnails') -Filter *.jpg).Count | Should -Be @($Manifest.faces).Count
    }

    It 'opens every page with no console error, every image loaded' {
        foreach ($file in $Pages) {
            Open-Page $file.FullName
            $images = Invoke-Json '[...document.images].map(i => ({ src: i.src, width: i.naturalWidth, complete: i.complete }))'
            $faces = if ($file.Name -like 'doubtful*') { @($Manifest.faces | Where-Object clusterId -EQ -1).Count } elseif ($file.Name -like 'failed*') { 0 } else { 1 }
            if ($faces -gt 0) { @($images).Count | Should -BeGreaterThan 0 -Because $file.Name }
            foreach ($image in $images) { $image.width | Should -BeGreaterThan 0 -Because "$($image.src) on $($file.Name) must load" }
            @(Get-Problems) | Should -BeNullOrEmpty -Because $file.Name
        }
    }

    It 'shows one card per person, largest first, with the manifest''s counts' {
        Open-Page (Join-Path $Out 'index.html')
        $cards = @(Invoke-Json '[...document.querySelectorAll("section.card")].map(c => ({ id: +c.dataset.id, faces: +c.dataset.faces, photos: +c.dataset.photos, text: c.querySelector(".counts").textContent }))')
        $cards.Count | Should -Be $People.Count
        $expected = @($People | Sort-Object @{ Expression = 'faceCount'; Descending = $true }, id)
        for ($i = 0; $i -lt $cards.Count; $i++) {
            $cards[$i].id | Should -Be $expected[$i].id
            $cards[$i].faces | Should -Be $expected[$i].faceCount
            $cards[$i].photos | Should -Be $expected[$i].photoCount
            $cards[$i].text | Should -Match "^$($expected[$i].faceCount) faces? in $($expected[$i].photoCount) photos? "
        }
    }

    It 'sums up the photos that failed, the model pack and the clustering settings' {
        Open-Page (Join-Path $Out 'index.html')
        $rows = @(Invoke-Json '[...document.querySelectorAll("table.summary tr")].map(r => ({ name: r.cells[0].innerText, value: r.cells[1].innerText }))')
        $summary = @{}
        foreach ($row in $rows) { $summary[$row.name] = $row.value }
        $summary['Photos that failed'] | Should -Match "^1\s+$([regex]::Escape($Broken)) ImageNotAnImage\s*$"
        $summary['Model pack'] | Should -Be $Encodings[0].Model
        $summary['Clustering'] | Should -Be 'average linkage, cosine distance; faces of one photo kept apart'
        $summary['Thresholds'] | Should -Be 'threshold 0.7 (-Epsilon)'

        $null = Wait-Task ($Page.ClickAsync('table.summary a[href$="failed.html"] >> nth=0'))
        $null = Wait-Task ($Page.WaitForLoadStateAsync([Microsoft.Playwright.LoadState]::Load))
        $failed = @(Invoke-Json '[...document.querySelectorAll("table.failed tr")].slice(1).map(r => [...r.cells].map(c => c.innerText))')
        $failed.Count | Should -Be 1
        $failed[0][0] | Should -Be $Broken
        $failed[0][1] | Should -Be 'ImageNotAnImage'
        $failed[0][2] | Should -Be @($Manifest.failedPhotos)[0].message
        @(Get-Problems) | Should -BeNullOrEmpty
    }

    It 'links only to files that exist' {
        foreach ($file in $Pages) {
            Open-Page $file.FullName
            $links = @(Invoke-Json '[...document.querySelectorAll("a[href]")].map(a => a.href)')
            $links.Count | Should -BeGreaterThan 0
            foreach ($link in $links) {
                $uri = [uri] $link
                $uri.Scheme | Should -Be 'file' -Because "$link on $($file.Name) must stay offline"
                Test-Path -LiteralPath ([uri]::UnescapeDataString($uri.AbsolutePath)) | Should -BeTrue -Because "$link on $($file.Name)"
            }
        }
    }

    It 'starts every page with the command that applies its changes, which PowerShell parses to literal values' {
        foreach ($file in $Pages) {
            Open-Page $file.FullName
            $first = Invoke-Json 'document.querySelector("header").nextElementSibling.className'
            $first | Should -Be 'apply' -Because "the first line of $($file.Name) says how to apply the changes"
            $texts = @(Invoke-Json '[...document.querySelectorAll("code.command")].map(c => c.textContent)')
            $texts.Count | Should -Be 1 -Because $file.Name
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($texts[0], [ref] $tokens, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because $texts[0]
            $commands = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true))
            ($commands | ForEach-Object { $_.GetCommandName() }) | Should -Be 'Import-Module', 'Import-FaceClusterCorrection'
            $commands[0].CommandElements[1].Value | Should -Be 'FaceCluster'
            $elements = $commands[1].CommandElements
            $elements.Count | Should -Be 5 -Because $texts[0]
            $elements[1].ParameterName | Should -Be 'LiteralPath'
            $elements[2] | Should -BeOfType ([System.Management.Automation.Language.StringConstantExpressionAst])
            $elements[2].Value | Should -Be $Out
            $elements[3].ParameterName | Should -Be 'FilePath'
            $elements[4] | Should -BeOfType ([System.Management.Automation.Language.StringConstantExpressionAst])
            $elements[4].Value | Should -Be './facecluster-edits.json'
        }
    }

    It 'looks right: a screenshot is kept in artifacts/test-results' {
        Open-Page (Join-Path $Out 'index.html')
        $results = Join-Path $ModuleDirectory '../../test-results'
        $null = New-Item -ItemType Directory -Force -Path $results
        $shot = [Microsoft.Playwright.PageScreenshotOptions]::new()
        $shot.Path = Join-Path $results 'review-page.png'
        $shot.FullPage = $true
        $null = Wait-Task ($Page.ScreenshotAsync($shot))
        (Get-Item -LiteralPath $shot.Path).Length | Should -BeGreaterThan 10KB
    }
}
