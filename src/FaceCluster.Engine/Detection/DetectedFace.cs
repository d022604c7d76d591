using FaceCluster.Engine.Model;

namespace FaceCluster.Engine.Detection;

/// <summary>A detector hit: a box (in the pixels of the image it was found in) and its confidence.</summary>
public readonly record struct DetectedFace(FaceBox Box, float Confidence);
