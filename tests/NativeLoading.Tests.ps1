# The module's choice of native libraries (ONNX Runtime, SkiaSharp) from Dependencies/runtimes/<rid>/native.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $assembly = [FaceCluster.Loading.ModuleInitializer].Assembly
    $script:RuntimeId = $assembly.GetType('FaceCluster.Loading.NativeRuntimeId', $true)
    function Get-RuntimeId([System.Runtime.InteropServices.OSPlatform] $Platform, [System.Runtime.InteropServices.Architecture] $Architecture) {
        $RuntimeId.GetMethod('For', [Reflection.BindingFlags] 'Static, Public, NonPublic').Invoke($null, @($Platform, $Architecture))
    }
}

Describe 'Native library folder' {
    It '<Platform> <Architecture> process loads from runtimes/<Expected>' -ForEach @(
        @{ Platform = 'Windows'; Architecture = 'X64'; Expected = 'win-x64' }
        @{ Platform = 'Windows'; Architecture = 'Arm64'; Expected = 'win-arm64' }
        @{ Platform = 'Windows'; Architecture = 'X86'; Expected = 'win-x86' }
        @{ Platform = 'OSX'; Architecture = 'Arm64'; Expected = 'osx-arm64' }
        @{ Platform = 'OSX'; Architecture = 'X64'; Expected = 'osx-x64' }
        @{ Platform = 'Linux'; Architecture = 'Arm64'; Expected = 'linux-arm64' }
        @{ Platform = 'Linux'; Architecture = 'X64'; Expected = 'linux-x64' }
    ) {
        Get-RuntimeId ([System.Runtime.InteropServices.OSPlatform]::$Platform) $Architecture | Should -Be $Expected
    }

    It 'follows the process architecture, not the machine''s (Rosetta, Windows on ARM emulation)' {
        $current = $RuntimeId.GetProperty('Current', [Reflection.BindingFlags] 'Static, Public, NonPublic').GetValue($null)
        $current | Should -BeLike "*-$("$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
        Test-Path -LiteralPath (Join-Path $ModuleDirectory "Dependencies/runtimes/$current/native") | Should -BeTrue
    }
}
