BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Sample1 = Join-Path $SamplesDirectory 'sample1.jpg'

    function Invoke-Encoding {
        # Runs Get-FaceEncoding over the paths in a fresh pwsh, so that a file which kills or hangs the process
        # fails this test instead of ending the test run, and returns the faces, the errors and the exit code.
        # -Unprivileged drops the capabilities that let root read any folder (setpriv, util-linux).
        param([string[]] $Arguments, [int] $TimeoutSeconds = 120, [switch] $Unprivileged)
        $script = @"
Import-Module '$env:FACECLUSTER_MODULE'
`$faces = @(Get-FaceEncoding $($Arguments -join ' ') -ErrorVariable errs -ErrorAction SilentlyContinue)
"faces=`$(`$faces.Count)"
foreach (`$e in `$errs) { 'error=' + `$e.FullyQualifiedErrorId.Split(',')[0] + '|' + `$e.TargetObject }
"@
        $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ($Unprivileged -and [Environment]::UserName -eq 'root') {
            $info = [Diagnostics.ProcessStartInfo]::new('setpriv')
            foreach ($a in '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--', [Environment]::ProcessPath) { $info.ArgumentList.Add($a) }
        }
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $script) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $child = [Diagnostics.Process]::Start($info)
        $output = $child.StandardOutput.ReadToEndAsync()
        $exited = $child.WaitForExit($TimeoutSeconds * 1000)
        if (-not $exited) { $child.Kill($true); $child.WaitForExit() }
        [pscustomobject]@{
            Exited = $exited
            ExitCode = $child.ExitCode
            Faces = [int](($output.Result -split "`n" | Where-Object { $_ -like 'faces=*' }) -replace '^faces=', '' | Select-Object -First 1)
            Errors = @($output.Result -split "`n" | Where-Object { $_ -like 'error=*' } | ForEach-Object { $_.Trim() -replace '^error=', '' })
        }
    }

    function Quote([string] $Path) { "'" + $Path.Replace("'", "''") + "'" }
}

Describe 'Get-FaceEncoding with files that must not stop the run' {
    It 'reports the 90-byte icon whose PNG claims 5000x5000 pixels, under any name, and goes on' -ForEach @(
        @{ Name = 'icon.ico' }, @{ Name = 'IMG_0001.jpg' }
    ) {
        # Before the fix SkiaSharp's icon codec aborted the process: the child died of SIGILL (exit code 132).
        $icon = Join-Path $TestDrive $Name
        [IO.File]::WriteAllBytes($icon, [Convert]::FromBase64String(
            'AAABAAEAEBAAAAEAIABEAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAABOIAAATiAgGAAAAXZiHywAAAAtJREFUeJxjYMACAAAVAAGqZZfEAAAAAElFTkSuQmCC'))
        $run = Invoke-Encoding -Arguments '-LiteralPath', (Quote $icon), ',', (Quote $Sample1)
        $run.ExitCode | Should -Be 0
        $run.Faces | Should -Be 3
        $run.Errors | Should -Be "ImageTruncated|$icon"
    }

    It 'reports a FIFO named b.jpg, a link to it and a socket named s.jpg at once, and goes on (<With>)' -ForEach @(
        @{ With = 'no store'; UseStore = $false }, @{ With = '-Store, which hashes each file'; UseStore = $true }
    ) {
        # Before the fix the FIFO blocked the run until something wrote to it: here, until the timeout.
        $dir = Join-Path $TestDrive "special-$UseStore"
        $store = if ($UseStore) { '-Store', (Quote (Join-Path $TestDrive 'special.db')) } else { @() }
        $null = New-Item -ItemType Directory -Path $dir
        Copy-Item -LiteralPath $Sample1 -Destination (Join-Path $dir 'a.jpg')
        mkfifo (Join-Path $dir 'b.jpg')
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $dir 'c.jpg') -Target (Join-Path $dir 'b.jpg')
        $socket = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::Unix, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Unspecified)
        try {
            $socket.Bind([Net.Sockets.UnixDomainSocketEndPoint]::new((Join-Path $dir 's.jpg')))
            $run = Invoke-Encoding -Arguments '-LiteralPath', ((Get-ChildItem -LiteralPath $dir -File | Sort-Object Name | ForEach-Object { Quote $_.FullName }) -join ','), $store -TimeoutSeconds 60
        }
        finally { $socket.Dispose() }
        $run.Exited | Should -BeTrue -Because 'a FIFO must not hold up the run'
        $run.Faces | Should -Be 3
        $run.Errors | Should -Be @(
            "ImageNotAFile|$(Join-Path $dir 'b.jpg')", "ImageNotAFile|$(Join-Path $dir 'c.jpg')", "ImageNotAFile|$(Join-Path $dir 's.jpg')")
    }

    It 'reports a photo in a folder it may not read as ImageUnreadable, not PathNotFound (-LiteralPath and -Path)' {
        # Root reads any folder, so the child runs without the capabilities that allow it (setpriv).
        $locked = Join-Path $TestDrive 'locked'
        $null = New-Item -ItemType Directory -Path $locked
        $photo = Join-Path $locked 'a.jpg'
        Copy-Item -LiteralPath $Sample1 -Destination $photo
        & chmod 000 $locked
        try {
            $literal = Invoke-Encoding -Unprivileged -Arguments '-LiteralPath', (Quote $photo), ',', (Quote $Sample1)
            $wildcard = Invoke-Encoding -Unprivileged -Arguments '-Path', (Quote (Join-Path $locked '*.jpg')), ',', (Quote $Sample1)
        }
        finally { & chmod 755 $locked }
        $literal.Faces | Should -Be 3
        $literal.Errors | Should -Be "ImageUnreadable|$photo"
        $wildcard.Faces | Should -Be 3
        $wildcard.Errors | Should -Be "ImageUnreadable|$locked"
    }

    It 'reports a sub-folder it may not list as FolderUnreadable with its path and reads the rest of the walk (-Recurse)' {
        # Root reads any folder, so the child runs without the capabilities that allow it (setpriv).
        $library = Join-Path $TestDrive 'walked'
        $locked = Join-Path $library 'b-locked'
        $null = New-Item -ItemType Directory -Path $locked, (Join-Path $library 'c')
        Copy-Item -LiteralPath $Sample1 -Destination (Join-Path $library 'a.jpg')
        Copy-Item -LiteralPath $Sample1 -Destination (Join-Path $locked 'hidden.jpg')
        Copy-Item -LiteralPath (Join-Path $SamplesDirectory 'sample4.jpg') -Destination (Join-Path $library 'c/d.jpg')
        & chmod 000 $locked
        try {
            $run = Invoke-Encoding -Unprivileged -Arguments '-LiteralPath', (Quote $library), '-Recurse'
        }
        finally { & chmod 755 $locked }
        $run.ExitCode | Should -Be 0
        $run.Faces | Should -Be 7
        $run.Errors | Should -Be "FolderUnreadable|$locked"
    }
}
