# Get-FaceEncoding -Store on PostgreSQL, through the built module, against a real PostgreSQL 15 server the tests start
# themselves (PostgresSupport.ps1): the store's guarantees, several worker processes sharing one library, and the
# faults a shared store meets (a worker killed, the server restarted or refused, a store of another pack).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'PostgresSupport.ps1')
    $script:Server = Start-TestPostgres
    $script:UnreachableId = 'EncodingStoreUnreachable,FaceCluster.Commands.GetFaceEncodingCommand'

    function Copy-WithComment([string] $Source, [string] $Destination, [string] $Comment) {
        # The same picture under different bytes: a JPEG comment segment right after SOI.
        $jpeg = [IO.File]::ReadAllBytes($Source)
        $text = [Text.Encoding]::ASCII.GetBytes($Comment)
        $length = $text.Length + 2
        $bytes = [byte[]] ($jpeg[0..1] + @(0xFF, 0xFE, ($length -shr 8), ($length -band 0xFF)) + $text + $jpeg[2..($jpeg.Length - 1)])
        [IO.File]::WriteAllBytes($Destination, $bytes)
    }

    function New-Library([string] $Name, [int] $Copies) {
        # $Copies distinct photos of each sample: other bytes, the same picture.
        $folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name)).FullName
        foreach ($sample in Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg) {
            for ($i = 0; $i -lt $Copies; $i++) {
                Copy-WithComment $sample.FullName (Join-Path $folder "$($sample.BaseName)-$i.jpg") "$Name copy $i"
            }
        }
        @(Get-ChildItem -LiteralPath $folder -File | Sort-Object FullName | ForEach-Object FullName)
    }

    function Invoke-StoreRun {
        # Get-FaceEncoding -Store in this process: its faces, errors, verbose text and how many images came from the store.
        param([string[]] $LiteralPath, [string] $Store, [hashtable] $Options = @{})
        $errors = $null
        $all = @(Get-FaceEncoding -LiteralPath $LiteralPath -Store $Store @Options -Verbose -ErrorVariable errors -ErrorAction SilentlyContinue 4>&1)
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $fromStore = if (($verbose -join "`n") -match '(\d+) image\(s\) from the store') { [int] $Matches[1] } else { -1 }
        [pscustomobject]@{
            Faces     = @($all | Where-Object { $_ -is [FaceCluster.Model.FaceEncoding] })
            Errors    = @($errors)
            Verbose   = $verbose
            FromStore = $fromStore
        }
    }

    function Start-Worker([string] $Folder, [string] $Store, [string] $Options = '', [string] $Barrier) {
        # Get-FaceEncoding -Store in a process of its own, as a worker on another machine would run it. It prints
        # 'faces N', 'errors <ids>' and its verbose summary.
        $wait = if ($Barrier) { "while (-not (Test-Path -LiteralPath '$Barrier')) { Start-Sleep -Milliseconds 10 }" }
        $script:Workers += @(Start-ChildPwsh @"
Import-Module '$env:FACECLUSTER_MODULE'
$wait
`$all = @(Get-ChildItem -LiteralPath '$Folder' -File | Get-FaceEncoding -Store '$Store' $Options -Verbose -ErrorVariable e -ErrorAction SilentlyContinue 4>&1)
'faces ' + @(`$all | Where-Object { `$_ -is [FaceCluster.Model.FaceEncoding] }).Count
'errors ' + (@(`$e | ForEach-Object FullyQualifiedErrorId) -join ' ')
@(`$all | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] })[-1].Message
"@)
        $script:Workers[-1]
    }

    function Wait-Worker($Process, [int] $Seconds = 300) {
        # Its printed lines, once it ended.
        $text = $Process.StandardOutput.ReadToEndAsync()
        if (-not $Process.WaitForExit($Seconds * 1000)) { $Process.Kill($true); throw "a worker ran over $Seconds s" }
        $text.Result
    }

    function Get-FreshCount([string] $Text) {
        # How many photos a worker encoded itself: all it read minus those served from the store.
        if ($Text -notmatch '(\d+) image\(s\):(?s).*?(\d+) image\(s\) from the store') { throw "no summary in: $Text" }
        [int] $Matches[1] - [int] $Matches[2]
    }

    function Get-StoredCount([string] $Store, [string] $Table = 'photos') {
        # 0 until the first worker made the schema.
        $database = $Store -replace '^.*/', ''
        if ((Invoke-Psql $Server "SELECT to_regclass('facecluster.$Table') IS NULL" -Database $database) -eq 't') { return 0 }
        [int] (Invoke-Psql $Server "SELECT count(*) FROM facecluster.$Table" -Database $database)
    }

    function Wait-Until([scriptblock] $Condition, [int] $Seconds = 120) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($clock.Elapsed.TotalSeconds -gt $Seconds) { throw "not within $Seconds s: $Condition" }
            Start-Sleep -Milliseconds 100
        }
    }

    function Start-BusyWorker([string] $Name, [string] $Options) {
        # A fresh database, a library and a worker over it that has stored a few photos and is still encoding.
        $store = New-TestDatabase $Server
        $photos = New-Library $Name 4
        $worker = Start-Worker (Split-Path $photos[0]) $store $Options
        Wait-Until { $worker.HasExited -or (Get-StoredCount $store) -ge 3 }
        $worker.HasExited | Should -BeFalse -Because 'the fault comes mid-batch'
        $store, $photos, $worker
    }

    function Assert-SameFaces($Expected, $Actual) {
        $Actual.Count | Should -Be $Expected.Count
        $properties = [FaceCluster.Model.FaceEncoding].GetProperties().Name
        for ($i = 0; $i -lt $Expected.Count; $i++) {
            foreach ($name in $properties) {
                $Actual[$i].$name | Should -Be $Expected[$i].$name -Because "$name of face $i"
            }
        }
    }
}

AfterAll {
    Remove-TestPostgres $Server
}

Describe 'The PostgreSQL encoding store' {
    BeforeEach {
        $script:Workers = @()
    }

    AfterEach {
        # A test that failed midway leaves no worker behind.
        $Workers | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill($true) }
    }

    Context 'Get-FaceEncoding -Store on PostgreSQL' {
        It 'stores each photo once, serves it equal to a fresh encoding, and finds a moved photo by its content' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'basic' 1
            $fresh = @(Get-FaceEncoding -LiteralPath $photos)

            $first = Invoke-StoreRun $photos $store
            $second = Invoke-StoreRun $photos $store
            $moved = Join-Path $TestDrive 'moved.jpg'
            Move-Item -LiteralPath $photos[0] -Destination $moved
            $third = Invoke-StoreRun $moved $store

            $first.FromStore | Should -Be 0
            $second.FromStore | Should -Be $photos.Count
            Assert-SameFaces $fresh $first.Faces
            Assert-SameFaces $fresh $second.Faces
            $third.FromStore | Should -Be 1
            $third.Faces[0].Path | Should -Be $moved
            Get-StoredCount $store | Should -Be $photos.Count
            Get-StoredCount $store 'claims' | Should -Be 0
        }

        It 'keeps each face row whole, not in the TOAST table, in a new store and in one made before that' {
            $store = New-TestDatabase $Server
            $database = $store -replace '^.*/', ''
            $toastSize = "SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'facecluster.faces'::regclass"
            $first = New-Library 'inline' 1
            $null = Invoke-StoreRun $first $store
            Invoke-Psql $Server $toastSize -Database $database | Should -Be 0 -Because 'a 512-number vector is no row to move out'

            # A store made before: the faces table without its storage setting, and its vectors out of line.
            $null = Invoke-Psql $Server 'ALTER TABLE facecluster.faces RESET (toast_tuple_target)' -Database $database
            $null = Invoke-Psql $Server 'UPDATE facecluster.faces SET vector = vector' -Database $database
            $before = [long] (Invoke-Psql $Server $toastSize -Database $database)
            $second = New-Library 'inline-later' 1
            $run = Invoke-StoreRun $second $store
            $again = Invoke-StoreRun $first $store

            $before | Should -BeGreaterThan 0 -Because 'without the setting, PostgreSQL moves such a vector out of line'
            $run.Errors | Should -BeNullOrEmpty
            Invoke-Psql $Server "SELECT reloptions FROM pg_class WHERE oid = 'facecluster.faces'::regclass" -Database $database |
                Should -Be '{toast_tuple_target=8160}'
            Invoke-Psql $Server $toastSize -Database $database | Should -Be $before -Because 'the new photos stayed in their rows'
            $again.FromStore | Should -Be $first.Count -Because 'the rows moved out before are read as ever'
        }

        It 'keeps a store of another pack apart: it is not served to a dlib run, and each pack reads its own faces back' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'packs' 1
            $default = Invoke-StoreRun $photos $store
            $freshDlib = @(Get-FaceEncoding -LiteralPath $photos -Model dlib)

            $dlib = Invoke-StoreRun $photos $store @{ Model = 'dlib' }
            $readDlib = @(Get-FaceEncoding -LiteralPath (Split-Path $photos[0]) -Store $store -FromStore -Model dlib)
            $readDefault = @(Get-FaceEncoding -LiteralPath (Split-Path $photos[0]) -Store $store -FromStore)

            $dlib.FromStore | Should -Be 0
            Assert-SameFaces $freshDlib $dlib.Faces
            Assert-SameFaces $freshDlib $readDlib
            Assert-SameFaces $default.Faces $readDefault
            Get-StoredCount $store | Should -Be (2 * $photos.Count)
        }

        It 'refuses to start on a refused connection with EncodingStoreUnreachable, loses nothing, and the rerun completes' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'refused' 1
            $null = Invoke-StoreRun $photos[0..2] $store
            Stop-PostgresServer $Server
            try {
                $refused = try { Get-FaceEncoding -LiteralPath $photos -Store $store } catch { $_ }
            }
            finally {
                Start-PostgresServer $Server
            }
            $rerun = Invoke-StoreRun $photos $store

            @($refused).Count | Should -Be 1 -Because 'it stops before it writes a face'
            $refused.FullyQualifiedErrorId | Should -Be $UnreachableId
            $refused.CategoryInfo.Category | Should -Be 'ConnectionError'
            $refused.Exception.Message | Should -Match 'cannot be reached'
            $rerun.Errors.Count | Should -Be 0
            $rerun.FromStore | Should -Be 3
            Get-StoredCount $store | Should -Be $photos.Count
        }

        It 'lets two workers racing for the same photos encode each once' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'race' 1
            $barrier = Join-Path $TestDrive 'race-go'
            $workers = @(1, 2 | ForEach-Object { Start-Worker (Split-Path $photos[0]) $store -Barrier $barrier })
            Start-Sleep -Seconds 3
            Set-Content -LiteralPath $barrier -Value go
            $outputs = @($workers | ForEach-Object { Wait-Worker $_ })

            foreach ($text in $outputs) {
                $text | Should -Match 'errors \r?\n'
                $text | Should -Match "faces $((Get-FaceEncoding -LiteralPath $photos).Count)\b"
            }
            ($outputs | ForEach-Object { Get-FreshCount $_ } | Measure-Object -Sum).Sum | Should -Be $photos.Count
            Get-StoredCount $store | Should -Be $photos.Count
            Get-StoredCount $store 'claims' | Should -Be 0
        }

        It 'holds saves back until a batch is full, a moment passed or the store is disposed, and keeps them claimed till then' {
            $store = New-TestDatabase $Server
            $database = $store -replace '^.*/', ''
            $null = Invoke-StoreRun (Join-Path $SamplesDirectory 'sample1.jpg') $store # the schema, and the engine loaded
            $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'FaceCluster.Engine' } | Select-Object -First 1
            $storeType = $engine.GetType('FaceCluster.Engine.Store.PostgresEncodingStore', $true)
            $optionsType = $engine.GetType('FaceCluster.Engine.Store.PostgresStoreOptions', $true)
            $photoType = $engine.GetType('FaceCluster.Engine.Store.StoredPhoto', $true)
            $stamp = $engine.GetType('FaceCluster.Engine.Store.PhotoFileStamp', $true)::Of((Join-Path $SamplesDirectory 'sample1.jpg'))
            $noFace = $photoType::new([Array]::CreateInstance($engine.GetType('FaceCluster.Engine.Store.StoredFace', $true), 0), 10, 10, $null, '')
            $key = { param([int] $n) [byte[]] (@($n) * 32) }
            $stored = { [int] (Invoke-Psql $Server 'SELECT count(*) FROM facecluster.photos WHERE image_width = 10' -Database $database) }
            $byCount = $storeType::Open($store, $null, ($optionsType::new() | ForEach-Object { $_.SaveBatch = 3; $_.SaveDelay = [TimeSpan]::FromHours(1); $_ }))
            $byTime = $storeType::Open($store, $null, ($optionsType::new() | ForEach-Object { $_.SaveBatch = 100; $_.SaveDelay = [TimeSpan]::FromMilliseconds(300); $_ }))
            $other = $storeType::Open($store, $null, $null)
            $settings = $byCount.SettingsId('batch')
            try {
                foreach ($n in 1, 2) {
                    $byCount.FindOrClaim((& $key $n), $settings, 4).Item2 | Should -BeTrue
                    $byCount.Save((& $key $n), $settings, $noFace, "/held/$n.jpg", $stamp)
                }
                $heldTwo = & $stored
                $otherWhileHeld = $other.FindOrClaim((& $key 1), $settings, 4)
                $byCount.FindOrClaim((& $key 3), $settings, 4).Item2 | Should -BeTrue
                $byCount.Save((& $key 3), $settings, $noFace, '/held/3.jpg', $stamp)
                $afterThird = & $stored
                $byCount.Save((& $key 4), $settings, $noFace, '/held/4.jpg', $stamp)
                $ownWhileHeld = $byCount.Find((& $key 4), $settings, 4)
                $afterOwnRead = & $stored
                $byTime.Save((& $key 5), $settings, $noFace, '/held/5.jpg', $stamp)
                $byCount.Save((& $key 6), $settings, $noFace, '/held/6.jpg', $stamp)
                Wait-Until { (& $stored) -ge 5 } 30
                $afterDelay = & $stored
                $byCount.Dispose()
                $afterDispose = & $stored
            }
            finally { $byTime.Dispose(); $other.Dispose() }

            $heldTwo | Should -Be 0 -Because 'two photos are less than a batch'
            $otherWhileHeld.Item1 | Should -BeNullOrEmpty
            $otherWhileHeld.Item2 | Should -BeFalse -Because 'a held photo stays claimed by its worker'
            $afterThird | Should -Be 3 -Because 'a full batch is written at once'
            $ownWhileHeld | Should -Not -BeNullOrEmpty -Because 'the store writes what it holds before a read that could see it'
            $afterOwnRead | Should -Be 4
            $afterDelay | Should -Be 5 -Because 'the other store wrote its photo after its delay; the first still holds its sixth'
            $afterDispose | Should -Be 6
            $other.Find((& $key 6), $settings, 4) | Should -Not -BeNullOrEmpty
            Invoke-Psql $Server "SELECT count(*) FROM facecluster.claims" -Database $database | Should -Be 0
        }

        It 'does not encode again a photo that the worker holding its claim stores while this one waits for the claim' {
            $store = New-TestDatabase $Server
            $database = $store -replace '^.*/', ''
            $photos = New-Library 'late' 1
            $null = Invoke-StoreRun $photos[1] $store # the settings entry, id 1
            $key = (Get-FileHash -LiteralPath $photos[0] -Algorithm SHA256).Hash.ToLowerInvariant()
            $null = Invoke-Psql $Server "INSERT INTO facecluster.claims VALUES ('\x$key', 1, 'other', now() + interval '1 hour')" -Database $database
            # The other worker stores the photo (as having no face) and gives up its claim in a transaction that
            # commits 15 s later: this worker's claim waits for it, then must find the photo stored.
            $other = Start-Psql $Server ("BEGIN; DELETE FROM facecluster.claims; INSERT INTO facecluster.photos " +
                "VALUES ('\x$key', 1, 10, 10, NULL, NULL); SELECT pg_sleep(15); COMMIT;") $database

            $run = Invoke-StoreRun $photos[0] $store
            $other.WaitForExit()

            $other.ExitCode | Should -Be 0
            $run.Errors.Count | Should -Be 0
            $run.FromStore | Should -Be 1
            $run.Faces.Count | Should -Be 0 -Because 'the other worker stored it as having no face'
        }

        It 'leaves the claims of a worker killed with SIGKILL mid-batch to expire, and another worker completes the batch' {
            $store, $photos, $killed = Start-BusyWorker 'killed' '-Jitter 4 -ClaimTimeoutSec 5'
            & kill -KILL $killed.Id
            $killed.WaitForExit()
            $claimed = Get-StoredCount $store 'claims'
            $stored = Get-StoredCount $store

            $rest = Wait-Worker (Start-Worker (Split-Path $photos[0]) $store '-Jitter 4')
            $again = Invoke-StoreRun $photos $store @{ Jitter = 4 }

            $claimed | Should -BeGreaterThan 0 -Because 'the killed worker held claims on the photos it was encoding'
            $rest | Should -Match 'errors \r?\n'
            Get-FreshCount $rest | Should -Be ($photos.Count - $stored)
            $again.FromStore | Should -Be $photos.Count
            Assert-SameFaces @(Get-FaceEncoding -LiteralPath $photos -Jitter 4) $again.Faces
            Get-StoredCount $store 'claims' | Should -Be 0
        }

        It 'keeps its logged-in connection for the next run in the session, and takes a new one after a server restart' {
            $store = New-TestDatabase $Server
            $database = $store -replace '^.*/', ''
            $photos = New-Library 'pooled' 1
            $backends = { @(Invoke-Psql $Server "SELECT pid FROM pg_stat_activity WHERE datname = '$database' AND application_name = 'FaceCluster'") }

            $null = Invoke-StoreRun $photos $store
            $afterFirst = & $backends
            $second = Invoke-StoreRun $photos $store
            $afterSecond = & $backends
            Stop-PostgresServer $Server
            Start-PostgresServer $Server
            $third = Invoke-StoreRun $photos $store

            $afterFirst.Count | Should -BeGreaterThan 0 -Because 'the first run leaves its connections pooled'
            $afterSecond | Where-Object { $_ -notin $afterFirst } | Should -BeNullOrEmpty -Because 'the rerun logs in no new connection'
            $second.FromStore | Should -Be $photos.Count
            $third.Errors.Count | Should -Be 0
            $third.FromStore | Should -Be $photos.Count
        }

        It 'rides out the server restarting mid-run: the run completes and every photo is stored once' {
            $store, $photos, $worker = Start-BusyWorker 'restart' '-Jitter 4'
            Stop-PostgresServer $Server
            Start-Sleep -Seconds 2
            Start-PostgresServer $Server
            $text = Wait-Worker $worker

            $text | Should -Match 'errors \r?\n'
            $text | Should -Match "faces $(@(Get-FaceEncoding -LiteralPath $photos -Jitter 4).Count)\b"
            Get-FreshCount $text | Should -Be $photos.Count
            Get-StoredCount $store | Should -Be $photos.Count
        }
    }

    Context 'Clustering from the PostgreSQL store' {
        It 'reads a library from the store alone and feeds Invoke-FaceCluster -Previous | Export-FaceCluster -Sync' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'clustered' 2
            $library = Split-Path $photos[0]
            $encoded = (Invoke-StoreRun $photos $store).Faces
            $sorted = Join-Path $TestDrive 'sorted'
            $previous = Join-Path $sorted 'faces.json'

            $read = @(Get-FaceEncoding -LiteralPath $library -Store $store -FromStore)
            $read | Invoke-FaceCluster -Previous $previous | Export-FaceCluster -LiteralPath $sorted -Sync
            Remove-Item -LiteralPath $photos[0]
            Add-Content -LiteralPath $photos[1] -Value 'changed'
            $errors = $null
            $second = @(Get-FaceEncoding -LiteralPath $library -Store $store -FromStore -ErrorVariable errors -ErrorAction SilentlyContinue)

            Assert-SameFaces $encoded $read
            (Get-Content -Raw -LiteralPath $previous | ConvertFrom-Json).faces.Count | Should -Be $encoded.Count
            $second.Count | Should -Be ($encoded.Count - @($encoded | Where-Object Path -In $photos[0], $photos[1]).Count)
            @($errors).Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'PhotoNotInStore,FaceCluster.Commands.GetFaceEncodingCommand'
            $errors[0].TargetObject | Should -Be $photos[1]
        }
    }

    Context 'The recipe of about_FaceCluster' {
        It 'fans out with Start-Job as SHARED ENCODING shows: four worker processes fill one store with every photo' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'recipe' 1
            $about = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../docs/about_FaceCluster.md')
            $about -match '(?s)On one big computer[^`]*```powershell\r?\n(.*?)```' | Should -BeTrue
            $recipe = $Matches[1] -replace '(?m)^\$db = .*$', "`$db = '$store'"
            $modules = Split-Path -Parent $ModuleDirectory

            $run = Invoke-ChildPwsh "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; `$Photos = '$(Split-Path $photos[0])'; $recipe"

            $faces = @(Get-FaceEncoding -LiteralPath $photos).Count
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $plain = $run.Output -replace '\e\[[0-9;]*m', ''
            @([regex]::Matches($plain, "Count\s*:\s*$faces\b")).Count | Should -Be 4 -Because $plain
            Get-StoredCount $store | Should -Be $photos.Count
            Get-StoredCount $store 'claims' | Should -Be 0
        }
    }

    Context 'Credentials and TLS of the PostgreSQL store' {
        It 'never shows the password: verbose output, errors, faces.json' {
            $store = New-TestDatabase $Server
            $photos = New-Library 'secret' 1
            $sorted = Join-Path $TestDrive 'secret-sorted'
            $wrong = $store -replace [regex]::Escape($Server.Password), 'wrong-secret-password'

            $text = & {
                Get-FaceEncoding -LiteralPath $photos -Store $store -Verbose | Invoke-FaceCluster -Verbose |
                    Export-FaceCluster -LiteralPath $sorted -Verbose
                try { Get-FaceEncoding -LiteralPath $photos -Store $wrong -Verbose } catch { $_ }
            } *>&1 | Out-String
            $errors = @(try { Get-FaceEncoding -LiteralPath $photos -Store $wrong } catch { $_ })
            $details = ($errors | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.TargetObject; $_.CategoryInfo.ToString() }) -join "`n"

            $text | Should -Match 'postgresql://127\.0\.0\.1'
            $errors[0].FullyQualifiedErrorId | Should -Be $UnreachableId
            $errors[0].Exception.Message | Should -Match 'refused the user name or password'
            foreach ($secret in $Server.Password, 'wrong-secret-password') {
                $text | Should -Not -Match $secret
                $details | Should -Not -Match $secret
                Get-ChildItem -LiteralPath $sorted -Recurse -File | Select-String -SimpleMatch $secret | Should -BeNullOrEmpty
            }
        }

        It 'takes the password from a PSCredential or from PGPASSWORD' {
            $store = New-TestDatabase $Server
            $bare = $store -replace ":$([regex]::Escape($Server.Password))@", '@' -replace '//postgres@', '//'
            $photos = New-Library 'credential' 1
            $credential = [pscredential]::new('postgres', (ConvertTo-SecureString $Server.Password -AsPlainText -Force))

            $withCredential = Invoke-StoreRun $photos $bare @{ StoreCredential = $credential }
            $env:PGPASSWORD = $Server.Password
            $env:PGUSER = 'postgres'
            try { $fromEnvironment = Invoke-StoreRun $photos $bare }
            finally { Remove-Item Env:PGPASSWORD, Env:PGUSER }

            $bare | Should -Not -Match 'postgres@|:pw-'
            $withCredential.Errors.Count | Should -Be 0
            $withCredential.FromStore | Should -Be 0
            $fromEnvironment.Errors.Count | Should -Be 0
            $fromEnvironment.FromStore | Should -Be $photos.Count
        }

        It 'lends a pooled connection to the same credential only: a wrong or missing password after a good run is refused' {
            $store = New-TestDatabase $Server
            $bare = $store -replace ":$([regex]::Escape($Server.Password))@", '@' -replace '//postgres@', '//'
            $photos = New-Library 'pooled-credential' 1
            $wrong = [pscredential]::new('postgres', (ConvertTo-SecureString 'wrong-secret-password' -AsPlainText -Force))

            $env:PGPASSWORD = $Server.Password
            $env:PGUSER = 'postgres'
            try { $good = Invoke-StoreRun $photos $bare }
            finally { Remove-Item Env:PGPASSWORD }
            try {
                $missing = try { Get-FaceEncoding -LiteralPath $photos -Store $bare } catch { $_ }
                $refused = try { Get-FaceEncoding -LiteralPath $photos -Store $bare -StoreCredential $wrong } catch { $_ }
            }
            finally { Remove-Item Env:PGUSER }

            $good.Errors.Count | Should -Be 0
            $missing.FullyQualifiedErrorId | Should -Be $UnreachableId
            $refused.FullyQualifiedErrorId | Should -Be $UnreachableId
            $refused.Exception.Message | Should -Match 'refused the user name or password'
        }

        It 'can require TLS: a server without it is refused' {
            $store = New-TestDatabase $Server

            $errors = @(try { Get-FaceEncoding -LiteralPath (Join-Path $SamplesDirectory 'sample1.jpg') -Store "$store`?sslmode=require" } catch { $_ })

            $errors[0].FullyQualifiedErrorId | Should -Be $UnreachableId
            $errors[0].Exception.Message | Should -Match 'SSL|TLS'
        }

        It 'connects over TLS to a server that offers it, as a user the server admits over TLS only' {
            Enable-PostgresTls $Server
            $store = (New-TestDatabase $Server) -replace '//postgres:', '//tls_only:'
            $sample = Join-Path $SamplesDirectory 'sample1.jpg'

            $tls = Invoke-StoreRun $sample "$store`?sslmode=require"
            $plain = try { Get-FaceEncoding -LiteralPath $sample -Store "$store`?sslmode=disable" } catch { $_ }

            $tls.Errors.Count | Should -Be 0
            $tls.Faces.Count | Should -BeGreaterThan 0
            $plain.FullyQualifiedErrorId | Should -Be $UnreachableId
        }
    }
}
