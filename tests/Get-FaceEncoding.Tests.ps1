BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Sample1 = Join-Path $SamplesDirectory 'sample1.jpg'
}

Describe 'Get-FaceEncoding' {
    Context 'the sample photos' {
        It '<Name> has <Faces> faces' -ForEach @(
            @{ Name = 'sample1.jpg'; Faces = 3 }
            @{ Name = 'sample2.jpg'; Faces = 3 }
            @{ Name = 'sample3.jpg'; Faces = 3 }
            @{ Name = 'sample4.jpg'; Faces = 4 }
            @{ Name = 'sample5.jpg'; Faces = 5 }
            @{ Name = 'sample6.jpg'; Faces = 4 }
        ) {
            $found = @(Get-FaceEncoding -LiteralPath (Join-Path $SamplesDirectory $Name))
            $found.Count | Should -Be $Faces
            $found.FaceIndex | Should -Be (0..($Faces - 1))
        }

        It 'reads an iPhone-style HEIC photo (HEVC in HEIF, made by heif-enc)' {
            $heic = Join-Path $TestDrive 'IMG_0001.HEIC'
            heif-enc -q 90 -p preset=ultrafast -o $heic $Sample1 | Out-Null
            $LASTEXITCODE | Should -Be 0 -Because 'heif-enc (Debian: libheif-examples) writes the test photo'
            $jpeg = @(Get-FaceEncoding -LiteralPath $Sample1)
            $found = @(Get-ChildItem -LiteralPath $TestDrive -Filter *.heic | Get-FaceEncoding)
            $found.Count | Should -Be 3
            $found[0].Path | Should -Be $heic
            ($found.ImageWidth | Select-Object -Unique) | Should -Be $jpeg[0].ImageWidth
            foreach ($i in 0..2) { [math]::Abs($found[$i].Box.X - $jpeg[$i].Box.X) | Should -BeLessThan 10 }
        }

        It 'describes each face fully' {
            $face = Get-FaceEncoding -LiteralPath $Sample1 | Select-Object -First 1
            $face | Should -BeOfType 'FaceCluster.Model.FaceEncoding'
            $face.Path | Should -Be (Resolve-Path -LiteralPath $Sample1).ProviderPath
            $face.Model | Should -Be 'faceplugin'
            $face.Vector.Count | Should -Be 512
            $face.Landmarks.Count | Should -Be 5
            $face.Confidence | Should -BeGreaterThan 0.5
            $face.Box.Width | Should -BeGreaterThan 0
            $face.ImageWidth | Should -BeGreaterThan $face.Box.Right
            $face.ImageHeight | Should -BeGreaterThan $face.Box.Bottom
        }

        It 'gives the same vectors however many images run in parallel' {
            $one = Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding -ThrottleLimit 1
            $two = Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding -ThrottleLimit 3
            $two.Count | Should -Be $one.Count
            for ($i = 0; $i -lt $one.Count; $i++) {
                $two[$i].Path | Should -Be $one[$i].Path
                $two[$i].FaceIndex | Should -Be $one[$i].FaceIndex
                $two[$i].Vector | Should -Be $one[$i].Vector
            }
        }

        It '-Jitter <Jitter> averages perturbed copies: the same faces, vectors close to the plain ones, the same on every run' -ForEach @(
            @{ Jitter = 3; Model = 'faceplugin'; Metric = 'Cosine'; Near = 0.15 }
            @{ Jitter = 3; Model = 'dlib'; Metric = 'Euclidean'; Near = 0.25 }
        ) {
            $plain = @(Get-FaceEncoding -LiteralPath $Sample1 -Model $Model)
            $jittered = @(Get-FaceEncoding -LiteralPath $Sample1 -Model $Model -Jitter $Jitter)
            $again = @(Get-FaceEncoding -LiteralPath $Sample1 -Model $Model -Jitter $Jitter)
            $jittered.Count | Should -Be $plain.Count
            for ($i = 0; $i -lt $plain.Count; $i++) {
                $a = $plain[$i].Vector; $b = $jittered[$i].Vector
                $dot = 0.0; $na = 0.0; $nb = 0.0; $sq = 0.0
                for ($k = 0; $k -lt $a.Count; $k++) { $dot += $a[$k] * $b[$k]; $na += $a[$k] * $a[$k]; $nb += $b[$k] * $b[$k]; $sq += ($a[$k] - $b[$k]) * ($a[$k] - $b[$k]) }
                $distance = if ($Metric -eq 'Cosine') { 1 - $dot / [Math]::Sqrt($na * $nb) } else { [Math]::Sqrt($sq) }
                $distance | Should -BeGreaterThan 0 -Because 'the perturbed copies change the vector'
                $distance | Should -BeLessThan $Near -Because 'it is still the same face'
                $again[$i].Vector | Should -Be $b
            }
        }
    }

    Context 'folders walked with -Recurse' {
        BeforeAll {
            # library/sample1.jpg, library/2019/Lisbon/sample2.jpg, library/2019/sample3.JPG, library/Z/sample4.jpeg,
            # and files that are not photos: library/notes.txt, library/2019/clip.mp4 (a JPEG's bytes, named as a video).
            $script:Library = Join-Path $TestDrive 'library'
            $script:Nested = @{
                'sample1.jpg' = 'sample1.jpg'; '2019/Lisbon/sample2.jpg' = 'sample2.jpg'; '2019/sample3.JPG' = 'sample3.jpg'
                'Z/sample4.jpeg' = 'sample4.jpg'; '2019/clip.mp4' = 'sample5.jpg'
            }
            foreach ($name in $Nested.Keys) {
                $target = Join-Path $Library $name
                $null = New-Item -ItemType Directory -Path (Split-Path -Parent $target) -Force
                Copy-Item -LiteralPath (Join-Path $SamplesDirectory $Nested[$name]) -Destination $target
            }
            Set-Content -LiteralPath (Join-Path $Library 'notes.txt') -Value 'not a photo'
            function Get-FaceKey { process { '{0}|{1}|{2}' -f $_.Path, $_.FaceIndex, ($_.Vector -join ',') } }
        }

        It 'reads the same faces as Get-ChildItem -Recurse -File, of the photos only, in the order of their paths' {
            $listed = @(Get-ChildItem -LiteralPath $Library -Recurse -File | Get-FaceEncoding -ErrorVariable listedErrs -ErrorAction SilentlyContinue)
            $walked = @(Get-FaceEncoding -LiteralPath $Library -Recurse -ErrorVariable walkedErrs)
            $walkedErrs | Should -BeNullOrEmpty -Because 'notes.txt and clip.mp4 are not named as photos, so not taken'
            # Get-ChildItem passes every file: notes.txt is an error, and clip.mp4 (a JPEG inside) is read.
            $listedErrs.TargetObject | Should -Be (Join-Path $Library 'notes.txt')
            $walked.Count | Should -Be 13
            ($walked | Get-FaceKey | Sort-Object) | Should -Be @($listed | Where-Object { $_.Path -notlike '*.mp4' } | Get-FaceKey | Sort-Object)
            # Ordinal order of the full paths (a culture's order would put sample1.jpg before Z/).
            @($walked.Path | Select-Object -Unique) | Should -Be @(
                (Join-Path $Library '2019/Lisbon/sample2.jpg'), (Join-Path $Library '2019/sample3.JPG'),
                (Join-Path $Library 'Z/sample4.jpeg'), (Join-Path $Library 'sample1.jpg'))
        }

        It 'walks a folder given by -Path (wildcards), or piped as a DirectoryInfo, beside a file' {
            @(Get-FaceEncoding -Path (Join-Path $TestDrive 'librar?'), (Join-Path $SamplesDirectory 'sample6.jpg') -Recurse).Count | Should -Be 17
            @(Get-Item -LiteralPath (Join-Path $Library '2019') | Get-FaceEncoding -Recurse).Path | Sort-Object -Unique |
                Should -Be @((Join-Path $Library '2019/Lisbon/sample2.jpg'), (Join-Path $Library '2019/sample3.JPG'))
        }

        It 'never follows a symbolic link to a folder, so a link loop ends' {
            $linked = Join-Path $TestDrive 'linked'
            $elsewhere = Join-Path $TestDrive 'elsewhere'
            $null = New-Item -ItemType Directory -Path $linked, $elsewhere
            Copy-Item -LiteralPath $Sample1 -Destination $linked
            Copy-Item -LiteralPath (Join-Path $SamplesDirectory 'sample2.jpg') -Destination $elsewhere
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $linked 'loop') -Target $linked
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $linked 'other') -Target $elsewhere
            $faces = @(Get-FaceEncoding -LiteralPath $linked -Recurse -ErrorVariable errs)
            $errs | Should -BeNullOrEmpty
            $faces.Path | Sort-Object -Unique | Should -Be (Join-Path $linked 'sample1.jpg')
        }

        It 'leaves an export folder under the photos out whole, says so once, and walks it with -IncludeExportFolder' {
            $photos = Join-Path $TestDrive 'walk-with-export'
            $null = New-Item -ItemType Directory -Path $photos
            Copy-Item -LiteralPath $Sample1, (Join-Path $SamplesDirectory 'sample2.jpg') -Destination $photos
            $sorted = Join-Path $photos 'Sorted'
            Get-FaceEncoding -LiteralPath $photos -Recurse | Invoke-FaceCluster | Export-FaceCluster -Path $sorted
            (Get-ChildItem -LiteralPath $sorted -Recurse -File -Filter *.jpg).Count | Should -BeGreaterThan 0

            $verbose = $($faces = @(Get-FaceEncoding -LiteralPath $photos -Recurse -Verbose -ErrorVariable errs)) 4>&1
            $errs | Should -BeNullOrEmpty
            $faces.Path | Sort-Object -Unique | Should -Be @((Join-Path $photos 'sample1.jpg'), (Join-Path $photos 'sample2.jpg'))
            ($verbose | Where-Object { "$_" -like "Skipping '$sorted' and everything in it*" }).Count | Should -Be 1
            @(Get-FaceEncoding -Path (Join-Path $sorted '*') -Recurse).Count | Should -Be 0 -Because 'a folder inside the export is in it'

            $all = @(Get-FaceEncoding -LiteralPath $photos -Recurse -IncludeExportFolder)
            $all.Path | Where-Object { $_.StartsWith($sorted) } | Should -Not -BeNullOrEmpty
        }
    }

    Context 'input binding' {
        It 'binds FileInfo from Get-ChildItem by property name' {
            $faces = @(Get-ChildItem -LiteralPath $SamplesDirectory -File | Where-Object Name -in 'sample1.jpg', 'sample2.jpg' | Get-FaceEncoding)
            $faces.Count | Should -Be 6
            ($faces.Path | Split-Path -Leaf | Sort-Object -Unique) | Should -Be @('sample1.jpg', 'sample2.jpg')
        }

        It 'binds path strings by value and expands wildcards' {
            @((Join-Path $SamplesDirectory 'sample[56].jpg') | Get-FaceEncoding).Count | Should -Be 9
        }

        It 'takes -LiteralPath without interpreting brackets, spaces or non-ASCII letters' {
            $odd = Join-Path $TestDrive 'Grüße [2024] photo (1).jpg'
            Copy-Item -LiteralPath $Sample1 -Destination $odd
            @(Get-FaceEncoding -LiteralPath $odd).Count | Should -Be 3
            @(Get-ChildItem -LiteralPath $TestDrive -Filter *.jpg | Get-FaceEncoding).Count | Should -Be 3
        }

        It 'reports a missing path and carries on' {
            $faces = @(Get-FaceEncoding -LiteralPath (Join-Path $TestDrive 'nope.jpg'), $Sample1 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $faces.Count | Should -Be 3
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }

        It 'skips a folder given by -LiteralPath, says so, and reads the photo given beside it' {
            $folder = Join-Path $TestDrive 'a folder.jpg'
            $null = New-Item -ItemType Directory -Path $folder
            Copy-Item -LiteralPath $Sample1 -Destination (Join-Path $folder 'inside.jpg') # not read without -Recurse
            $verbose = $(
                $faces = @(Get-FaceEncoding -LiteralPath $folder, $Sample1 -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue)
            ) 4>&1
            $faces.Count | Should -Be 3
            $errs.Count | Should -Be 0
            ($verbose | Where-Object { "$_" -like "Skipping folder '$folder'*-Recurse*" }).Count | Should -Be 1
            ($faces.Path | Split-Path -Leaf | Sort-Object -Unique) | Should -Be 'sample1.jpg'
        }

        It 'skips an export folder of its own under the photos, says so, and reads it with -IncludeExportFolder' {
            $photos = Join-Path $TestDrive 'with-export'
            $null = New-Item -ItemType Directory -Path $photos
            Copy-Item -LiteralPath $Sample1, (Join-Path $SamplesDirectory 'sample2.jpg') -Destination $photos
            # A stray file called faces.json that is not ours does not hide its folder.
            $stranger = Join-Path $photos 'stranger'
            $null = New-Item -ItemType Directory -Path $stranger
            Set-Content -LiteralPath (Join-Path $stranger 'faces.json') -Value '{"faces":[]}'
            Copy-Item -LiteralPath (Join-Path $SamplesDirectory 'sample3.jpg') -Destination $stranger
            $sorted = Join-Path $photos 'Sorted'
            Get-ChildItem -LiteralPath $photos -Recurse -File -Filter *.jpg | Get-FaceEncoding |
                Invoke-FaceCluster | Export-FaceCluster -Path $sorted
            (Get-ChildItem -LiteralPath $sorted -Recurse -File -Filter *.jpg).Count | Should -BeGreaterThan 0

            $verbose = $(
                $faces = @(Get-ChildItem -LiteralPath $photos -Recurse -File |
                    Get-FaceEncoding -Verbose -ErrorAction SilentlyContinue -ErrorVariable errs)
            ) 4>&1
            # Only the stranger's faces.json is an error (not an image); the export's own faces.json is skipped.
            $errs.TargetObject | Should -Be @((Join-Path $stranger 'faces.json'))
            $faces.Count | Should -Be 9
            ($faces.Path | Split-Path -Leaf | Sort-Object -Unique) | Should -Be @('sample1.jpg', 'sample2.jpg', 'sample3.jpg')
            ($verbose | Where-Object { "$_" -like "*$sorted*" }).Count | Should -Be 1

            $all = @(Get-ChildItem -LiteralPath $photos -Recurse -File -Filter *.jpg | Get-FaceEncoding -IncludeExportFolder)
            $all.Count | Should -BeGreaterThan 9
            $all.Path | Where-Object { $_.StartsWith($sorted) } | Should -Not -BeNullOrEmpty
        }

        It 'shows no percentage for pipeline input, whose total is unknown, and n of total for -Path' {
            function Get-ProgressOf([string] $Script) {
                $ps = [powershell]::Create()
                try {
                    $null = $ps.AddScript("Import-Module '$env:FACECLUSTER_MODULE'; $Script").Invoke()
                    @($ps.Streams.Progress | Where-Object { $_.ActivityId -eq 1 -and $_.RecordType -eq 'Processing' })
                }
                finally { $ps.Dispose() }
            }

            $piped = Get-ProgressOf "Get-ChildItem -LiteralPath '$SamplesDirectory' -Filter *.jpg | Get-FaceEncoding -ThrottleLimit 1"
            $piped.Count | Should -BeGreaterThan 0
            $piped.PercentComplete | Sort-Object -Unique | Should -Be @(-1)
            $piped.StatusDescription | ForEach-Object { $_ | Should -Match '^\d+ files?$' }

            $counted = Get-ProgressOf "Get-FaceEncoding -Path '$(Join-Path $SamplesDirectory 'sample*.jpg')' -ThrottleLimit 1"
            $counted.Count | Should -BeGreaterThan 0
            $counted.StatusDescription | ForEach-Object { $_ | Should -Match '^\d+ of 6$' }
            $counted.PercentComplete | ForEach-Object { $_ | Should -BeIn (0..100) }
        }

        It 'shows no percentage while -Recurse walks a folder, whose total is unknown' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$env:FACECLUSTER_MODULE'; Get-FaceEncoding -LiteralPath '$SamplesDirectory' -Recurse -ThrottleLimit 1").Invoke()
                $walked = @($ps.Streams.Progress | Where-Object { $_.ActivityId -eq 1 -and $_.RecordType -eq 'Processing' })
            }
            finally { $ps.Dispose() }
            $walked.Count | Should -BeGreaterThan 0
            $walked.PercentComplete | Sort-Object -Unique | Should -Be @(-1)
            $walked.StatusDescription | ForEach-Object { $_ | Should -Match '^\d+ files?$' }
        }

        It 'completes -Model with the model packs' {
            $line = 'Get-FaceEncoding -Model '
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Contain 'faceplugin'
        }

        It 'refuses an unknown model pack' {
            { Get-FaceEncoding -LiteralPath $Sample1 -Model 'no-such-pack' -ErrorAction Stop } |
                Should -Throw -ErrorId 'UnknownModel,FaceCluster.Commands.GetFaceEncodingCommand'
        }
    }

    Context 'bad input: a non-terminating error naming the file, and the rest goes on' {
        BeforeAll {
            $bad = Join-Path $TestDrive 'bad'
            $null = New-Item -ItemType Directory -Path $bad
            $script:Cases = @{}
            $Cases['empty'] = Join-Path $bad 'empty.jpg'
            [IO.File]::WriteAllBytes($Cases['empty'], [byte[]]@())
            $Cases['truncated'] = Join-Path $bad 'truncated.jpg'
            $bytes = [IO.File]::ReadAllBytes($Sample1)
            [IO.File]::WriteAllBytes($Cases['truncated'], $bytes[0..($bytes.Length / 3)])
            $Cases['text'] = Join-Path $bad 'notes.jpg'
            Set-Content -LiteralPath $Cases['text'] -Value 'this is not a photo'
            $Cases['unsupported'] = Join-Path $bad 'layers.psd'
            # A Photoshop header: a real image format that no decoder here reads.
            [IO.File]::WriteAllBytes($Cases['unsupported'], [Text.Encoding]::ASCII.GetBytes('8BPS') + [byte[]]::new(256))
            $Cases['truncated HEIC'] = Join-Path $bad 'IMG_0002.heic'
            heif-enc -q 90 -p preset=ultrafast -o $Cases['truncated HEIC'] $Sample1 | Out-Null
            $heic = [IO.File]::ReadAllBytes($Cases['truncated HEIC'])
            [IO.File]::WriteAllBytes($Cases['truncated HEIC'], $heic[0..($heic.Length / 2)])
            $Cases['huge'] = Join-Path $bad 'huge.png'
            New-HugePng -Path $Cases['huge'] -Width 20000 -Height 20000
        }

        It '<Case> gives <ErrorId>' -ForEach @(
            @{ Case = 'empty'; ErrorId = 'ImageEmpty' }
            @{ Case = 'truncated'; ErrorId = 'ImageTruncated' }
            @{ Case = 'truncated HEIC'; ErrorId = 'ImageTruncated' }
            @{ Case = 'text'; ErrorId = 'ImageNotAnImage' }
            @{ Case = 'unsupported'; ErrorId = 'ImageUnsupportedFormat' }
            @{ Case = 'huge'; ErrorId = 'ImageTooLarge' }
        ) {
            $path = $Cases[$Case]
            $faces = @(Get-FaceEncoding -LiteralPath $path, $Sample1 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $faces.Count | Should -Be 3
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "$ErrorId,FaceCluster.Commands.GetFaceEncodingCommand"
            $errs[0].TargetObject | Should -Be $path
            $errs[0].Exception.Message | Should -BeLike "*$(Split-Path -Leaf $path)*"
        }

        It 'reports an unreadable file' {
            # Permission bits do not stop root, so the file is made unreadable by holding it open exclusively:
            # .NET locks it (flock on Unix, a share mode on Windows) and every other reader is refused.
            $path = Join-Path $TestDrive 'locked.jpg'
            Copy-Item -LiteralPath $Sample1 -Destination $path
            $lock = [IO.File]::Open($path, 'Open', 'ReadWrite', 'None')
            try {
                $faces = @(Get-FaceEncoding -LiteralPath $path, $Sample1 -ErrorVariable errs -ErrorAction SilentlyContinue)
            }
            finally { $lock.Dispose() }
            $faces.Count | Should -Be 3
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'ImageUnreadable,FaceCluster.Commands.GetFaceEncodingCommand'
            $errs[0].TargetObject | Should -Be $path
        }

        It 'a whole folder of bad files still yields the good photo' {
            Copy-Item -LiteralPath $Sample1 -Destination (Join-Path $TestDrive 'bad/good.jpg')
            $faces = @(Get-ChildItem -LiteralPath (Join-Path $TestDrive 'bad') -File | Get-FaceEncoding -ErrorVariable errs -ErrorAction SilentlyContinue)
            $faces.Count | Should -Be 3
            $errs.Count | Should -Be 6
        }
    }

    Context 'model files' {
        BeforeAll {
            $script:CopyRoot = Join-Path $TestDrive 'module-copy'
            Copy-Item -LiteralPath $ModuleDirectory -Destination $CopyRoot -Recurse
            $script:CopyManifest = Join-Path $CopyRoot 'FaceCluster.psd1'
        }

        It 'names a damaged packs.json with a stable id and the remedy, and reads it again once repaired' {
            $catalog = Join-Path $CopyRoot 'models/packs.json'
            $backup = "$catalog.bak"
            Copy-Item -LiteralPath $catalog -Destination $backup -Force
            try {
                $result = Invoke-ChildPwsh @"
Import-Module '$CopyManifest'
Set-Content -LiteralPath '$catalog' -Value '{"packs": [ {"name": "faceplugin",'
try { Get-FaceEncoding -LiteralPath '$Sample1' -ErrorAction Stop | Out-Null; 'NO ERROR' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
Copy-Item -LiteralPath '$backup' -Destination '$catalog' -Force
'After the repair: ' + @(Get-FaceEncoding -LiteralPath '$Sample1').Count + ' faces'
"@
                $result.Output | Should -Not -Match 'NO ERROR'
                $result.Output | Should -Match 'ModelCatalogInvalid,FaceCluster.Commands.GetFaceEncodingCommand'
                $result.Output | Should -Match ([regex]::Escape($catalog))
                $result.Output | Should -Match 'build.ps1'
                $result.Output | Should -Match 'After the repair: 3 faces'
            }
            finally { Move-Item -LiteralPath $backup -Destination $catalog -Force }
        }

        It 'stops at once with a clear message when a model file is <Damage>' -ForEach @(
            @{ Damage = 'missing' }
            @{ Damage = 'tampered' }
        ) {
            $model = Join-Path $CopyRoot 'models/faceplugin/fr_feature.onnx'
            $backup = "$model.bak"
            Copy-Item -LiteralPath $model -Destination $backup -Force
            try {
                if ($Damage -eq 'missing') { Remove-Item -LiteralPath $model }
                else { $b = [IO.File]::ReadAllBytes($model); $b[1000] = $b[1000] -bxor 0xFF; [IO.File]::WriteAllBytes($model, $b) }
                $result = Invoke-ChildPwsh "Import-Module '$CopyManifest'; try { Get-FaceEncoding -LiteralPath '$Sample1', '$Sample1' -ErrorAction Stop | Out-Null; 'NO ERROR' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
                $result.Output | Should -Not -Match 'NO ERROR'
                $result.Output | Should -Match 'ModelFileInvalid,FaceCluster.Commands.GetFaceEncodingCommand'
                $result.Output | Should -Match 'fr_feature.onnx'
                $result.Output | Should -Match 'build.ps1'
            }
            finally { Move-Item -LiteralPath $backup -Destination $model -Force }
        }
    }
}
