# Encodings and groups that crossed a process (Export-Clixml/Import-Clixml, Start-Job, ForEach-Object -Parallel,
# ConvertTo-Json/ConvertFrom-Json) bind to Invoke-FaceCluster and Export-FaceCluster and give what the live objects give.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Encodings = @(Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg | Get-FaceEncoding)
    # -Epsilon 0.7: several people and a doubtful group, so every field of a member (nearest cluster too) is used.
    $script:Groups = @($Encodings | Invoke-FaceCluster -Epsilon 0.7)

    function Get-EncodingText($Face) {
        # Every property, numbers in round-trip form: equal texts mean equal encodings.
        $r = { param($x) ([float] $x).ToString('R', [cultureinfo]::InvariantCulture) }
        $box = ($Face.Box.X, $Face.Box.Y, $Face.Box.Width, $Face.Box.Height | ForEach-Object { & $r $_ }) -join ','
        $landmarks = ($Face.Landmarks | ForEach-Object { (& $r $_.X) + ',' + (& $r $_.Y) }) -join ';'
        $vector = ($Face.Vector | ForEach-Object { & $r $_ }) -join ','
        '{0}#{1}|{2}|{3}|{4}|{5}|{6}x{7}|{8}' -f $Face.Path, $Face.FaceIndex, $box, $landmarks, (& $r $Face.Confidence), $Face.Model, $Face.ImageWidth, $Face.ImageHeight, $vector
    }

    function Get-SettingsText($Settings) {
        # The clustering's settings, every property, numbers in round-trip form.
        $r = { param($x) if ($null -ne $x) { ([double] $x).ToString('R', [cultureinfo]::InvariantCulture) } }
        '{0}|{1}|{2}|{3}|{4}|{5}|{6}|{7}' -f $Settings.Model, $Settings.Algorithm, $Settings.Metric, (& $r $Settings.Epsilon), $Settings.EpsilonSource,
            (& $r $Settings.GroupThreshold), $Settings.MinSamples, $Settings.SeparateSamePhoto
    }

    function Get-GroupText($Group) {
        # A group with every member's role, nearest cluster and full encoding, and its representative.
        $members = $Group.Members | ForEach-Object {
            '{0}|{1}|{2}|{3}' -f (Get-EncodingText $_.Face), $_.Role, $_.NearestClusterId, $(if ($null -ne $_.NearestClusterDistance) { $_.NearestClusterDistance.ToString('R', [cultureinfo]::InvariantCulture) })
        }
        $representative = if ($Group.Representative) { Get-EncodingText $Group.Representative }
        (@("$($Group.Id)|$($Group.Label)|$representative|$(Get-SettingsText $Group.Clustering)") + $members) -join "`n"
    }

    $script:Expected = @($Groups | ForEach-Object { Get-GroupText $_ })
    $Expected.Count | Should -BeGreaterThan 2
    $Groups[0].Clustering.Model | Should -Be $Encodings[0].Model
}

Describe 'FaceCluster objects across processes' {
    It 'clusters encodings from Import-Clixml (default depth) exactly like the live ones' {
        $file = Join-Path $TestDrive 'encodings.clixml'
        $Encodings | Export-Clixml -LiteralPath $file
        $copies = @(Import-Clixml -LiteralPath $file)
        $copies[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.FaceCluster.Model.FaceEncoding'
        $groups = @($copies | Invoke-FaceCluster -Epsilon 0.7 -ErrorAction Stop)
        @($groups | ForEach-Object { Get-GroupText $_ }) | Should -Be $Expected
        @(Invoke-FaceCluster -InputObject $copies -Epsilon 0.7 -ErrorAction Stop | ForEach-Object { Get-GroupText $_ }) | Should -Be $Expected
    }

    It 'clusters encodings returned by Start-Job exactly like the live ones' {
        $job = Start-Job -ScriptBlock {
            Import-Module $using:env:FACECLUSTER_MODULE -ErrorAction Stop
            Get-ChildItem -LiteralPath $using:SamplesDirectory -Filter *.jpg | Get-FaceEncoding
        }
        $copies = @($job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop)
        $copies.Count | Should -Be $Encodings.Count
        $copies[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.FaceCluster.Model.FaceEncoding'
        @($copies | Invoke-FaceCluster -Epsilon 0.7 -ErrorAction Stop | ForEach-Object { Get-GroupText $_ }) | Should -Be $Expected
    }

    It 'exports groups returned by Start-Job like the live ones' {
        $job = Start-Job -ScriptBlock {
            Import-Module $using:env:FACECLUSTER_MODULE -ErrorAction Stop
            Get-ChildItem -LiteralPath $using:SamplesDirectory -Filter *.jpg | Get-FaceEncoding | Invoke-FaceCluster -Epsilon 0.7
        }
        $copies = @($job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop)
        $live = Join-Path $TestDrive 'job-live'
        $copied = Join-Path $TestDrive 'job-copied'
        $Groups | Export-FaceCluster -LiteralPath $live -ErrorAction Stop
        $copies | Export-FaceCluster -LiteralPath $copied -ErrorAction Stop
        Get-TreeContent $copied | Should -Be (Get-TreeContent $live)
    }

    It 'clusters encodings made in ForEach-Object -Parallel exactly like the ones made in this runspace' {
        # Parallel runspaces share this process, so their encodings arrive as live records.
        $files = Get-ChildItem -LiteralPath $SamplesDirectory -Filter *.jpg
        $copies = @($files | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:env:FACECLUSTER_MODULE -ErrorAction Stop
            $_ | Get-FaceEncoding
        })
        $copies.Count | Should -Be $Encodings.Count
        @($copies | Invoke-FaceCluster -Epsilon 0.7 -ErrorAction Stop | ForEach-Object { Get-GroupText $_ }) | Should -Be $Expected
    }

    It 'clusters encodings that went through ConvertTo-Json and ConvertFrom-Json exactly like the live ones' {
        $copies = @($Encodings | ConvertTo-Json -Depth 3 | ConvertFrom-Json)
        @($copies | Invoke-FaceCluster -Epsilon 0.7 -ErrorAction Stop | ForEach-Object { Get-GroupText $_ }) | Should -Be $Expected
    }

    It 'exports groups from Import-Clixml (default depth) to the same folder, faces.json byte for byte, as the live ones' {
        $file = Join-Path $TestDrive 'groups.clixml'
        $Groups | Export-Clixml -LiteralPath $file
        $copies = @(Import-Clixml -LiteralPath $file)
        $copies[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.FaceCluster.Model.FaceGroup'
        $live = Join-Path $TestDrive 'live'
        $copied = Join-Path $TestDrive 'copied'
        $Groups | Export-FaceCluster -LiteralPath $live -ErrorAction Stop
        $copies | Export-FaceCluster -LiteralPath $copied -ErrorAction Stop
        $tree = Get-TreeContent $copied
        $tree | Should -Be (Get-TreeContent $live)
        $tree -match '^[\\/]faces\.json\|' | Should -HaveCount 1
        # The copy is the clustering it was made from: a rerun of the live groups into it completes, not refuses.
        $Groups | Export-FaceCluster -LiteralPath $copied -ErrorAction Stop
    }

    It 'reads faces.json with ConvertFrom-Json and writes it back with ConvertTo-Json unchanged' {
        $out = Join-Path $TestDrive 'json'
        $Groups | Export-FaceCluster -LiteralPath $out -ErrorAction Stop
        $text = Get-Content -Raw -LiteralPath (Join-Path $out 'faces.json')
        $manifest = $text | ConvertFrom-Json
        @($manifest.faces).Count | Should -Be $Encodings.Count
        # Compared token by token (every name, string and number as written), whitespace aside.
        $canonical = { param($json) [System.Text.Json.Nodes.JsonNode]::Parse($json).ToJsonString() }
        & $canonical ($manifest | ConvertTo-Json -Depth 10) | Should -BeExactly (& $canonical $text)
    }

    It 'rejects an encoding without <Missing> with InvalidFaceEncoding, naming its photo, and clusters the rest' -ForEach @(
        @{ Missing = 'Vector' }
        @{ Missing = 'Box' }
        @{ Missing = 'Model' }
    ) {
        $bad = $Encodings[0] | Select-Object -Property * -ExcludeProperty $Missing
        $groups = @(@($bad) + $Encodings[1..($Encodings.Count - 1)] | Invoke-FaceCluster -Epsilon 0.7 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidFaceEncoding,FaceCluster.Commands.InvokeFaceClusterCommand'
        $errs[0].TargetObject | Should -Be $Encodings[0].Path
        $errs[0].Exception.Message | Should -Match "no $Missing"
        ($groups | ForEach-Object FaceCount | Measure-Object -Sum).Sum | Should -Be ($Encodings.Count - 1)
    }

    It 'rejects groups serialized too shallowly to keep their faces with InvalidFaceGroup, naming each group' {
        # What Export-Clixml writes where this module's types are not loaded: at depth 2 a member's face is its text.
        Remove-TypeData -TypeName 'FaceCluster.Model.FaceGroup'
        Remove-TypeData -TypeName 'FaceCluster.Model.FaceEncoding'
        try {
            $file = Join-Path $TestDrive 'shallow.clixml'
            $Groups | Export-Clixml -LiteralPath $file
        }
        finally {
            Update-TypeData -AppendPath (Join-Path $ModuleDirectory 'FaceCluster.Types.ps1xml')
        }
        $out = Join-Path $TestDrive 'shallow'
        Import-Clixml -LiteralPath $file | Export-FaceCluster -LiteralPath $out -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'InvalidFaceGroup,FaceCluster.Commands.ExportFaceClusterCommand'
        $errs.TargetObject | Should -Be $Groups.Label
        $errs[0].Exception.Message | Should -Match 'serialized too shallowly'
    }
}
