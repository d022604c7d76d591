namespace FaceCluster.Engine.Models;

/// <summary>Which face detector network a pack's detector file is (packs.json "detector").</summary>
public enum DetectorKind
{
    /// <summary>The Ultra-Light detector (320x240 input, decoded boxes); the default when a pack names none.</summary>
    UltraLight,

    /// <summary>face-api's SSD MobileNet v1 (512x512 input) as FaceCluster.ModelConverter converts it.</summary>
    SsdMobilenetV1,
}
