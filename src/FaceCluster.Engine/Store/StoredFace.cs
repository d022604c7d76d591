using FaceCluster.Model;

namespace FaceCluster.Engine.Store;

/// <summary>One face of a photo as the store keeps it: everything of a <see cref="FaceEncoding"/> that depends on the photo's bytes.</summary>
public sealed record StoredFace(int FaceIndex, FaceBox Box, FacePoint[] Landmarks, float Confidence, float[] Vector);
