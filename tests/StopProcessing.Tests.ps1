# Ctrl+C: each cmdlet is stopped mid-run (PowerShell.Stop(), what Ctrl+C does) and must stop promptly, without
# an exception leaking, and leave things consistent.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Sample1 = Join-Path $SamplesDirectory 'sample1.jpg'

    function Stop-MidRun {
        # Runs $Script in a runspace of its own, waits until $Started says the cmdlet is at work, then stops it.
        param([string] $Script, [scriptblock] $Started, [object] $Argument, [int] $TimeoutSeconds = 120)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FACECLUSTER_MODULE'; $Script").AddArgument($Argument)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $output)
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
            while (-not $handle.IsCompleted -and -not (& $Started $ps $output) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 20
            }
            $running = -not $handle.IsCompleted
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            [pscustomobject]@{
                WasRunning = $running
                StopSeconds = $watch.Elapsed.TotalSeconds
                State = $ps.InvocationStateInfo.State
                Errors = @($ps.Streams.Error)
                Output = @($output)
            }
        }
        finally { $ps.Dispose() }
    }

    function New-FaceCopies([int] $Count, [string] $Folder) {
        # $Count photos (copies of sample1) and their encodings, made from sample1's without encoding each copy.
        $null = New-Item -ItemType Directory -Path $Folder -Force
        $faces = @(Get-FaceEncoding -LiteralPath $Sample1)
        foreach ($i in 1..$Count) {
            $path = Join-Path $Folder ('photo{0:D4}.jpg' -f $i)
            Copy-Item -LiteralPath $Sample1 -Destination $path
            foreach ($f in $faces) {
                [FaceCluster.Model.FaceEncoding]@{
                    Path = $path; FaceIndex = $f.FaceIndex; Box = $f.Box; Landmarks = $f.Landmarks; Confidence = $f.Confidence
                    Vector = $f.Vector; Model = $f.Model; ImageWidth = $f.ImageWidth; ImageHeight = $f.ImageHeight
                }
            }
        }
    }
}

Describe 'Ctrl+C' {
    It 'stops Get-FaceEncoding promptly between images' {
        $r = Stop-MidRun "Get-FaceEncoding -LiteralPath (@('$Sample1') * 200) -ThrottleLimit 2" { param($ps, $out) $out.Count -gt 0 }
        $r.WasRunning | Should -BeTrue
        $r.State | Should -Be 'Stopped'
        $r.StopSeconds | Should -BeLessThan 3
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.Count | Should -BeLessThan 600
    }

    It 'stops Invoke-FaceCluster promptly while it clusters' {
        $r = Stop-MidRun @'
$random = [Random]::new(7)
$pool = foreach ($k in 0..63) { $v = [float[]]::new(512); for ($d = 0; $d -lt 512; $d++) { $v[$d] = $random.NextSingle() - 0.5 }; , $v }
$box = [FaceCluster.Model.FaceBox]::new(0, 0, 10, 10)
$faces = foreach ($i in 0..11999) {
    [FaceCluster.Model.FaceEncoding]@{ Path = "/photos/$i.jpg"; FaceIndex = 0; Box = $box; Landmarks = @(); Confidence = 1
        Vector = $pool[$i % 64]; Model = 'faceplugin'; ImageWidth = 100; ImageHeight = 100 }
}
$faces | Invoke-FaceCluster
'@ { param($ps, $out) @($ps.Streams.Progress | Where-Object ActivityId -eq 2).Count -gt 0 }
        $r.WasRunning | Should -BeTrue
        $r.State | Should -Be 'Stopped'
        $r.StopSeconds | Should -BeLessThan 3
        $r.Errors | Should -BeNullOrEmpty
        $r.Output | Should -BeNullOrEmpty
    }

    It 'stops Export-FaceCluster promptly and leaves no half-written photo' {
        $photos = Join-Path $TestDrive 'photos'
        $faces = New-FaceCopies -Count 150 -Folder $photos
        $groups = @($faces | Invoke-FaceCluster)
        $out = Join-Path $TestDrive 'out'
        $r = Stop-MidRun "`$args[0] | Export-FaceCluster -Path '$out'" -Argument $groups {
            param($ps, $o) @(Get-ChildItem -LiteralPath $out -Recurse -File -Filter photo*.jpg -ErrorAction Ignore).Count -gt 20
        }
        $r.WasRunning | Should -BeTrue
        $r.State | Should -Be 'Stopped'
        $r.StopSeconds | Should -BeLessThan 3
        $r.Errors | Should -BeNullOrEmpty
        $length = (Get-Item -LiteralPath $Sample1).Length
        $written = @(Get-ChildItem -LiteralPath $out -Recurse -File -Filter photo*.jpg)
        $written.Count | Should -BeGreaterThan 0
        $written | Where-Object Length -ne $length | Should -BeNullOrEmpty
    }
}
