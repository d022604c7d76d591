@{
    RootModule           = 'FaceCluster.dll'
    # The records in the cmdlets' signatures; loaded first, into PowerShell's default context.
    RequiredAssemblies   = @('FaceCluster.Model.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f4f1e-8d3c-4b8e-9a7e-2c4f1d6a9e31'
    Author               = 'FaceCluster contributors'
    Copyright            = '(c) FaceCluster contributors. MIT licence.'
    Description          = 'Finds the people in a folder of photos: detects every face, embeds it, clusters the faces by identity and organises the photos into one folder per person.'
    # The assemblies target net8.0, which PowerShell 7.4 and later run on.
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('FaceCluster.Format.ps1xml')
    # Serialization depths, so that copies made by Export-Clixml, jobs and remoting keep every property.
    TypesToProcess       = @('FaceCluster.Types.ps1xml')
    CmdletsToExport      = @('Get-FaceEncoding', 'Invoke-FaceCluster', 'Export-FaceCluster', 'Measure-FaceCluster', 'Rename-FaceCluster',
                            'Merge-FaceCluster', 'Remove-FaceClusterMember', 'Get-FaceClusterMember', 'Move-FaceClusterMember',
                            'Split-FaceCluster', 'Hide-FaceClusterMember', 'Get-FaceClusterCorrection', 'Undo-FaceClusterCorrection',
                            'Import-FaceClusterCorrection', 'Optimize-FaceEncodingStore',
                            'Install-FaceModelPack', 'Get-FaceModelPack', 'Uninstall-FaceModelPack', 'Update-FaceModelPackCalibration')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        # What a gallery shows; PSEdition_Core and the platform tags say where the module runs.
        PSData = @{
            Tags         = @('Face', 'FaceRecognition', 'Clustering', 'Photos', 'DBSCAN', 'ONNX', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/license/mit'
            ReleaseNotes = 'First release: Get-FaceEncoding, Invoke-FaceCluster, Export-FaceCluster and Measure-FaceCluster. One package per platform (win-x64, win-arm64, linux-x64, linux-arm64, osx-arm64; ONNX Runtime has no Intel macOS build). The model packs and third-party libraries, with their licences, are listed in THIRD-PARTY-NOTICES.md.'
        }
    }
}
