# Get-FaceEncoding -Store: the SQLite encoding store, through the built module.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Sample1 = Join-Path $SamplesDirectory 'sample1.jpg'
    $script:Sample2 = Join-Path $SamplesDirectory 'sample2.jpg'
    $script:StoreErrorId = '{0},FaceCluster.Commands.GetFaceEncodingCommand'

    function Invoke-StoreRun {
        # Get-FaceEncoding -Store: its faces, its errors and how many images its verbose summary says came from the store.
        param([string[]] $LiteralPath, [string] $Store, [hashtable] $Options = @{})
        $errors = $null
        $all = @(Get-FaceEncoding -LiteralPath $LiteralPath -Store $Store @Options -Verbose -ErrorVariable errors -ErrorAction SilentlyContinue 4>&1)
        $summary = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '(\d+) image\(s\) from the store' })
        $summary.Count | Should -Be 1 -Because 'the verbose summary says how many images came from the store'
        $null = $summary[0].Message -match '(\d+) image\(s\) from the store'
        [pscustomobject]@{
            Faces     = @($all | Where-Object { $_ -is [FaceCluster.Model.FaceEncoding] })
            Errors    = @($errors)
            FromStore = [int] $Matches[1]
        }
    }

    function Assert-SameFaces($Expected, $Actual, [string] $Path) {
        $Actual.Count | Should -Be $Expected.Count
        $properties = [FaceCluster.Model.FaceEncoding].GetProperties().Name
        for ($i = 0; $i -lt $Expected.Count; $i++) {
            foreach ($name in $properties) {
                $want = if ($name -eq 'Path' -and $Path) { $Path } else { $Expected[$i].$name }
                $Actual[$i].$name | Should -Be $want -Because "$name of face $i"
            }
        }
    }

    function Copy-WithComment([string] $Source, [string] $Destination, [string] $Comment) {
        # The same picture under different bytes: a JPEG comment segment right after SOI.
        $jpeg = [IO.File]::ReadAllBytes($Source)
        $text = [Text.Encoding]::ASCII.GetBytes($Comment)
        $length = $text.Length + 2
        $bytes = [byte[]] ($jpeg[0..1] + @(0xFF, 0xFE, ($length -shr 8), ($length -band 0xFF)) + $text + $jpeg[2..($jpeg.Length - 1)])
        [IO.File]::WriteAllBytes($Destination, $bytes)
    }
}

Describe 'Get-FaceEncoding -Store' {
    BeforeEach {
        $script:Db = Join-Path $TestDrive "faces-$([guid]::NewGuid()).db"
    }

    It 'encodes a photo once, then serves it from the store equal to a fresh encoding in every property' {
        $photo = Join-Path $TestDrive 'hit.jpg'
        Copy-Item -LiteralPath $Sample1 -Destination $photo
        $fresh = @(Get-FaceEncoding -LiteralPath $photo)

        $first = Invoke-StoreRun $photo $Db
        $second = Invoke-StoreRun $photo $Db

        $first.FromStore | Should -Be 0
        $second.FromStore | Should -Be 1
        Assert-SameFaces $fresh $first.Faces
        Assert-SameFaces $fresh $second.Faces
        $second.Faces[0] | Should -BeOfType 'FaceCluster.Model.FaceEncoding'
    }

    It 'finds a renamed and moved photo by its content' {
        $photo = Join-Path $TestDrive 'before.jpg'
        Copy-Item -LiteralPath $Sample2 -Destination $photo
        $first = Invoke-StoreRun $photo $Db
        $moved = Join-Path (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'moved')).FullName 'after.jpg'
        Move-Item -LiteralPath $photo -Destination $moved

        $again = Invoke-StoreRun $moved $Db

        $again.FromStore | Should -Be 1
        Assert-SameFaces $first.Faces $again.Faces -Path $moved
    }

    It 'encodes a changed file again' {
        $photo = Join-Path $TestDrive 'changing.jpg'
        Copy-Item -LiteralPath $Sample1 -Destination $photo
        $null = Invoke-StoreRun $photo $Db
        Copy-Item -LiteralPath $Sample2 -Destination $photo -Force

        $changed = Invoke-StoreRun $photo $Db

        $changed.FromStore | Should -Be 0
        Assert-SameFaces @(Get-FaceEncoding -LiteralPath $Sample2) $changed.Faces -Path (Resolve-Path -LiteralPath $photo).ProviderPath
    }

    It 'does not serve entries of other settings: <Change>' -ForEach @(
        @{ Change = '-Model dlib'; Options = @{ Model = 'dlib' } }
        @{ Change = '-MaxImageSize 800'; Options = @{ MaxImageSize = 800 } }
        @{ Change = '-Jitter 2'; Options = @{ Jitter = 2 } }
    ) {
        $null = Invoke-StoreRun $Sample1 $Db

        $other = Invoke-StoreRun $Sample1 $Db $Options

        $other.FromStore | Should -Be 0
        Assert-SameFaces @(Get-FaceEncoding -LiteralPath $Sample1 @Options) $other.Faces
        (Invoke-StoreRun $Sample1 $Db $Options).FromStore | Should -Be 1
        (Invoke-StoreRun $Sample1 $Db).FromStore | Should -Be 1
    }

    It 'records a photo without a face' {
        $text = Join-Path $TestDrive 'blank.png'
        New-HugePng -Path $text -Width 400 -Height 300
        $first = Invoke-StoreRun $text $Db

        $again = Invoke-StoreRun $text $Db

        $first.Faces.Count | Should -Be 0
        $again.Faces.Count | Should -Be 0
        $again.FromStore | Should -Be 1
    }

    It 'records a failed photo and reports it again from the store with its path and error id' {
        $text = Join-Path $TestDrive 'notes.jpg'
        Set-Content -LiteralPath $text -Value 'text, not a photo'

        $first = Invoke-StoreRun $text $Db
        $again = Invoke-StoreRun $text $Db

        foreach ($run in $first, $again) {
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be ($StoreErrorId -f 'ImageNotAnImage')
            $run.Errors[0].TargetObject | Should -Be (Resolve-Path -LiteralPath $text).ProviderPath
        }
        $again.FromStore | Should -Be 1
        $again.Errors[0].Exception.Message | Should -Match 'recorded in the encoding store'
    }

    It 'takes writes from several processes at once and loses none' {
        # Four pwsh processes on one store at once, each with 25 files that fail (cheap to make and to decode, and
        # recorded like any photo), one photo with faces of its own and one that all four encode; every file has bytes
        # of its own.
        $folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'many')).FullName
        $shared = Join-Path $folder 'shared-sample1.jpg'
        Copy-WithComment $Sample1 $shared 'shared'
        $exe = [Environment]::ProcessPath
        $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
        $photos = @($shared)
        $processes = foreach ($k in 1..4) {
            $own = Join-Path $folder "own$k-sample$($k + 1).jpg"
            Copy-WithComment (Join-Path $SamplesDirectory "sample$($k + 1).jpg") $own "own $k"
            $texts = foreach ($i in 1..25) {
                $text = Join-Path $folder "text$k-$i.jpg"
                Set-Content -LiteralPath $text -Value "text $k $i, not a photo"
                $text
            }
            $photos += @($own) + $texts
            $list = Join-Path $TestDrive "list$k.txt"
            Set-Content -LiteralPath $list -Value (@($shared, $own) + $texts)
            # A store error stops the script (exit 1); the text files' errors are expected.
            $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$env:FACECLUSTER_MODULE'; " +
                "`$null = Get-FaceEncoding -LiteralPath (Get-Content -LiteralPath '$list') -Store '$Db' -MaxImageSize 640 -ThrottleLimit 2 -ErrorAction SilentlyContinue; exit 0"
            $info = [Diagnostics.ProcessStartInfo]::new($exe)
            foreach ($a in $prefix + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardOutput = $true
            $info.RedirectStandardError = $true
            [Diagnostics.Process]::Start($info)
        }
        foreach ($p in $processes) {
            $output = $p.StandardOutput.ReadToEnd() + $p.StandardError.ReadToEnd()
            $p.WaitForExit()
            $p.ExitCode | Should -Be 0 -Because $output
        }

        $check = Invoke-StoreRun $photos $Db @{ MaxImageSize = 640 }

        $check.FromStore | Should -Be 105
        @($check.Errors | Where-Object FullyQualifiedErrorId -EQ ($StoreErrorId -f 'ImageNotAnImage')).Count | Should -Be 100
        foreach ($path in @($photos | Where-Object { $_ -like '*sample*' })) {
            $sample = Join-Path $SamplesDirectory (($path -replace '.*-(sample\d)\.jpg$', '$1') + '.jpg')
            Assert-SameFaces @(Get-FaceEncoding -LiteralPath $sample -MaxImageSize 640) @($check.Faces | Where-Object Path -EQ $path) -Path $path
        }
    }

    It 'serves every photo from a read-only store and writes nothing; a photo it must store stops it with EncodingStoreReadOnly' {
        $photo = Join-Path $TestDrive 'kept.jpg'
        Copy-Item -LiteralPath $Sample1 -Destination $photo
        $fresh = @(Get-FaceEncoding -LiteralPath $photo)
        $null = Invoke-StoreRun $photo $Db
        Set-ItemProperty -LiteralPath $Db -Name IsReadOnly -Value $true
        $before = (Get-FileHash -LiteralPath $Db).Hash
        try {
            $warm = Invoke-StoreRun $photo $Db

            $warm.Errors | Should -BeNullOrEmpty
            $warm.FromStore | Should -Be 1
            Assert-SameFaces $fresh $warm.Faces
            { Get-FaceEncoding -LiteralPath $photo, $Sample2 -Store $Db } |
                Should -Throw -ErrorId ($StoreErrorId -f 'EncodingStoreReadOnly') -ExpectedMessage "*'$Db' is read-only*'$Sample2'*Make it writable*"
            (Get-FileHash -LiteralPath $Db).Hash | Should -Be $before
        }
        finally { Set-ItemProperty -LiteralPath $Db -Name IsReadOnly -Value $false }
    }

    It 'serves every photo from a store on a read-only file system; a photo it must store stops it with EncodingStoreReadOnly' -Skip:(-not $IsLinux) {
        # A store on a read-only mount (a snapshot, a share mounted ro) has no -shm file and cannot get one.
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive "ro-$([guid]::NewGuid())")
        $db = Join-Path $folder 'faces.db'
        $photo = Join-Path $TestDrive 'on-ro.jpg'
        Copy-Item -LiteralPath $Sample1 -Destination $photo
        $fresh = @(Get-FaceEncoding -LiteralPath $photo)
        $null = Invoke-StoreRun $photo $db
        Test-Path -LiteralPath "$db-shm" | Should -BeFalse -Because 'a closed store leaves no -shm file'
        $script = @"
Import-Module '$env:FACECLUSTER_MODULE'
`$faces = @(Get-FaceEncoding -LiteralPath '$photo' -Store '$db' -Verbose -ErrorAction Stop 4>&1)
'served ' + @(`$faces | Where-Object { `$_ -is [FaceCluster.Model.FaceEncoding] }).Count + '; ' + @(`$faces | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] })[-1].Message
try { `$null = Get-FaceEncoding -LiteralPath '$Sample2' -Store '$db' -ErrorAction Stop } catch { 'new photo: ' + `$_.FullyQualifiedErrorId }
"@
        $exe = [Environment]::ProcessPath
        $pre = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
        # A mount namespace of its own, where the store's folder is bind-mounted read-only over itself.
        $out = @(& unshare -rm sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' sh $folder.FullName $exe @pre -NoProfile -NonInteractive -Command $script 2>&1)
        $text = $out | Out-String

        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match "served $($fresh.Count); .* 1 image\(s\) from the store" -Because $text
        $text | Should -Match ([regex]::Escape('new photo: ' + ($StoreErrorId -f 'EncodingStoreReadOnly')))
    }

    It 'refuses a corrupt store with an error naming it and saying how to rebuild' {
        [IO.File]::WriteAllBytes($Db, [byte[]] (1..4096 | ForEach-Object { ($_ * 37) % 256 }))

        { Get-FaceEncoding -LiteralPath $Sample1 -Store $Db } |
            Should -Throw -ErrorId ($StoreErrorId -f 'EncodingStoreCorrupt') -ExpectedMessage "*'$Db'*to rebuild it, delete*"
    }

    It 'refuses a store of a newer schema with an error naming it and saying how to rebuild' {
        $null = Invoke-StoreRun $Sample1 $Db
        # SQLite's user_version: four big-endian bytes at offset 60 of the header.
        $bytes = [IO.File]::ReadAllBytes($Db)
        $bytes[63] = 99
        [IO.File]::WriteAllBytes($Db, $bytes)

        { Get-FaceEncoding -LiteralPath $Sample1 -Store $Db } |
            Should -Throw -ErrorId ($StoreErrorId -f 'EncodingStoreNewerSchema') -ExpectedMessage "*'$Db'*newer FaceCluster*to rebuild it, delete*"
    }

    It 'loads SQLite''s native library from the module''s own folder' {
        $null = Invoke-StoreRun $Sample1 $Db
        $sqlite = @([Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -Like '*e_sqlite3*')

        $sqlite.Count | Should -Be 1
        $sqlite[0].FileName | Should -BeLike (Join-Path $ModuleDirectory 'Dependencies/runtimes/*')
    }

    It 'reads a folder''s faces back with -FromStore, without its photos, and only under the same settings' {
        $folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'from-store')).FullName
        Copy-Item -LiteralPath $Sample1, $Sample2 -Destination $folder
        $stored = (Invoke-StoreRun (Get-ChildItem -LiteralPath $folder).FullName $Db).Faces

        $read = @(Get-FaceEncoding -LiteralPath $folder -Store $Db -FromStore)
        $errors = $null
        $other = @(Get-FaceEncoding -LiteralPath $folder -Store $Db -FromStore -Jitter 2 -ErrorVariable errors -ErrorAction SilentlyContinue)

        Assert-SameFaces $stored $read
        $other.Count | Should -Be 0
        @($errors.FullyQualifiedErrorId | Sort-Object -Unique) | Should -Be ($StoreErrorId -f 'PhotoNotInStore')
        @($errors).Count | Should -Be 2
    }
}
