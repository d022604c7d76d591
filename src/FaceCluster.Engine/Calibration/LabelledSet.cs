using FaceCluster.Engine.Evaluation;

namespace FaceCluster.Engine.Calibration;

/// <summary>A folder of labelled photos (one sub-folder per person) for calibrating a pack; <paramref name="Ceiling"/>: its people measure the ceiling.</summary>
public sealed record LabelledSet(string Path, GroundTruth Truth, bool Ceiling);
