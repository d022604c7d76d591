namespace FaceCluster.Engine.Models;

/// <summary>What a file of a model pack is used for.</summary>
public enum ModelFileRole
{
    /// <summary>The face detector network.</summary>
    Detector,
    /// <summary>The facial landmark network.</summary>
    Landmarks,
    /// <summary>The identity embedding network.</summary>
    Embedding,
}
