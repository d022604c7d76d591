# Dot-sourced by the people tests after TestSupport.ps1, with $Photos naming a folder: synthetic encodings of real
# photos named after their person (New-SyntheticFace in TestSupport.ps1).
function New-Face([string] $Name, [int] $Axis, [int] $N, [int] $Length = 8) {
    New-SyntheticFace ([IO.Path]::Combine($Photos, "$Name.jpg")) $Axis $N $Length
}

function New-Faces([string] $Prefix, [int] $Axis, [int[]] $Numbers) { foreach ($n in $Numbers) { New-Face "$Prefix$n" $Axis $n } }
