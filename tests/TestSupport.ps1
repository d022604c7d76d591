# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the BUILT module and names the data the build fetched.
if (-not $env:FACECLUSTER_MODULE -or -not (Test-Path -LiteralPath $env:FACECLUSTER_MODULE)) {
    throw "FACECLUSTER_MODULE does not name the built module. Run the tests with: dotnet pwsh ./build.ps1 -Task Test"
}
Import-Module $env:FACECLUSTER_MODULE -Force -ErrorAction Stop

$script:ModuleDirectory = Split-Path -Parent $env:FACECLUSTER_MODULE
$script:SamplesDirectory = if ($env:FACECLUSTER_SAMPLES) { $env:FACECLUSTER_SAMPLES } else { Join-Path $script:ModuleDirectory '../../samples' }
if (-not (Test-Path -LiteralPath (Join-Path $script:SamplesDirectory 'sample1.jpg'))) {
    throw "The sample photos are missing from '$script:SamplesDirectory'. Run: dotnet pwsh ./build.ps1"
}

function Get-TreeContent([string] $Folder) {
    # Relative paths and bytes only: what two exports of the same groups must share. The review pages name their
    # folder and the time of the export, and the list of pages the review keeps (review/pages.json) their files'
    # times, so only their names count.
    Get-ChildItem -LiteralPath $Folder -Recurse -Force -File | Sort-Object FullName | ForEach-Object {
        $hash = if ($_.Extension -eq '.html' -or $_.Name -eq 'pages.json') { 'page' } else { (Get-FileHash -LiteralPath $_.FullName).Hash }
        '{0}|{1}' -f $_.FullName.Substring($Folder.Length), $hash
    }
}

function Invoke-ChildPwsh {
    # Runs a script in a fresh pwsh (a second copy of the module cannot load into this process) and returns
    # its output and error streams as text plus the exit code.
    param([Parameter(Mandatory)] [string] $Script)
    $exe = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
    $arguments += '-NoProfile', '-NonInteractive', '-Command', $Script
    $text = & $exe @arguments 2>&1 | Out-String
    [pscustomobject]@{ Output = $text; ExitCode = $LASTEXITCODE }
}

function Start-ChildPwsh {
    # Like Invoke-ChildPwsh, but returns the running process (output redirected, to be read line by line) so a
    # test can kill it at a known point.
    param([Parameter(Mandatory)] [string] $Script)
    $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension($info.FileName) -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Script) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.Environment['FACECLUSTER_MODULE'] = $env:FACECLUSTER_MODULE
    [Diagnostics.Process]::Start($info)
}

function New-Crc32Table {
    $table = [uint32[]]::new(256)
    for ($n = 0; $n -lt 256; $n++) {
        [uint32] $c = $n
        for ($k = 0; $k -lt 8; $k++) { $c = if ($c -band 1) { [uint32] (0xEDB88320u -bxor ($c -shr 1)) } else { $c -shr 1 } }
        $table[$n] = $c
    }
    $table
}

function Get-Crc32([byte[]] $Bytes) {
    if (-not $script:Crc32Table) { $script:Crc32Table = New-Crc32Table }
    [uint32] $crc = 0xFFFFFFFFu
    foreach ($b in $Bytes) { $crc = [uint32] ($script:Crc32Table[($crc -bxor $b) -band 0xFF] -bxor ($crc -shr 8)) }
    [uint32] ($crc -bxor 0xFFFFFFFFu)
}

function New-HugePng {
    # A valid 1-bit greyscale PNG of Width x Height made of zero rows: a few hundred KB on disk, but
    # billions of pixels once decoded. (CRC-32 by hand: no PowerShell cmdlet computes one.)
    param([string] $Path, [int] $Width = 20000, [int] $Height = 20000)
    function Chunk([string] $Type, [byte[]] $Data) {
        $typeBytes = [Text.Encoding]::ASCII.GetBytes($Type)
        $length = [BitConverter]::GetBytes([uint32] $Data.Length); [Array]::Reverse($length)
        $crc = [BitConverter]::GetBytes([uint32] (Get-Crc32 ($typeBytes + $Data))); [Array]::Reverse($crc)
        , ($length + $typeBytes + $Data + $crc)
    }
    $w = [BitConverter]::GetBytes([uint32] $Width); [Array]::Reverse($w)
    $h = [BitConverter]::GetBytes([uint32] $Height); [Array]::Reverse($h)
    $ihdr = $w + $h + [byte[]](1, 0, 0, 0, 0)
    $raw = [IO.MemoryStream]::new()
    $zlib = [IO.Compression.ZLibStream]::new($raw, [IO.Compression.CompressionLevel]::Optimal)
    $row = [byte[]]::new(1 + [Math]::Ceiling($Width / 8))
    for ($y = 0; $y -lt $Height; $y++) { $zlib.Write($row, 0, $row.Length) }
    $zlib.Dispose()
    $signature = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
    $bytes = $signature + (Chunk 'IHDR' $ihdr) + (Chunk 'IDAT' $raw.ToArray()) + (Chunk 'IEND' ([byte[]]@()))
    [IO.File]::WriteAllBytes($Path, [byte[]] $bytes)
}

function New-SyntheticFace([string] $File, [int] $Axis, [int] $N, [int] $Length = 8) {
    # A face encoding as a property bag (as from ConvertFrom-Json) of the photo $File, made a copy of a sample photo
    # if missing: faces with the same $Axis lie near axis $Axis of an 8-dimensional space, so with -Epsilon 0.3 each
    # axis is one person and no two people merge; $N makes the faces of one person differ; $Length other than 8
    # makes a cut or padded vector. .NET writes the file: PowerShell's path cmdlets would read a "::" in $File as a
    # provider name.
    if (-not [IO.File]::Exists($File)) {
        $null = [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($File))
        [IO.File]::Copy((Join-Path $SamplesDirectory 'sample1.jpg'), $File)
    }
    $vector = [float[]]::new($Length)
    $vector[$Axis] = 1
    $vector[($Axis + 1 + ($N % 6)) % 8] = 0.1 + 0.02 * $N
    [pscustomobject]@{
        Path = $File; FaceIndex = 0; Box = [pscustomobject]@{ X = 10; Y = 10; Width = 60; Height = 60 }
        Landmarks = @(); Confidence = 0.99; Vector = $vector; Model = 'faceplugin'; ImageWidth = 200; ImageHeight = 200
    }
}

function New-ReviewEditsFile([string] $Export, [object[]] $Edits, [string] $Path, [string] $Key) {
    # An edits file as the review page's script writes it for the export in $Export (its faces.json's SHA-256, or
    # $Key), sealed with the SHA-256 of the text before ,"seal":. Returns $Path.
    if (-not $Key) { $Key = (Get-FileHash -LiteralPath (Join-Path $Export 'faces.json') -Algorithm SHA256).Hash.ToLowerInvariant() }
    $body = [ordered]@{ tool = 'FaceCluster'; kind = 'reviewEdits'; schemaVersion = 1; export = $Key; folder = $Export; edits = $Edits } |
        ConvertTo-Json -Depth 6 -Compress
    $unsealed = $body.Substring(0, $body.Length - 1)
    $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($unsealed))).ToLowerInvariant()
    [IO.File]::WriteAllText($Path, $unsealed + ',"seal":"' + $hash + '"}' + "`n")
    $Path
}
