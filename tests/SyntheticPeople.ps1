# Dot-sourced by the people tests after TestSupport.ps1, with $Photos naming a folder: synthetic encodings (property
# bags, as from ConvertFrom-Json) of real photos. Person P's faces lie near axis P of an 8-dimensional space, so with
# -Epsilon 0.3 each person is one cluster and no two people merge. .NET writes the files: PowerShell's own path
# cmdlets would read a "::" in $Photos as a provider name.
function New-Face([string] $Name, [int] $Axis, [int] $N, [int] $Length = 8) {
    $file = [IO.Path]::Combine($Photos, "$Name.jpg")
    if (-not [IO.File]::Exists($file)) { [IO.File]::Copy((Join-Path $SamplesDirectory 'sample1.jpg'), $file) }
    $vector = [float[]]::new($Length)
    $vector[$Axis] = 1
    $vector[($Axis + 1 + ($N % 6)) % 8] = 0.1 + 0.02 * $N
    [pscustomobject]@{
        Path = $file; FaceIndex = 0; Box = [pscustomobject]@{ X = 10; Y = 10; Width = 60; Height = 60 }
        Landmarks = @(); Confidence = 0.99; Vector = $vector; Model = 'faceplugin'; ImageWidth = 200; ImageHeight = 200
    }
}

function New-Faces([string] $Prefix, [int] $Axis, [int[]] $Numbers) { foreach ($n in $Numbers) { New-Face "$Prefix$n" $Axis $n } }
