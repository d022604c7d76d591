namespace FaceCluster.Engine.Tests;

/// <summary>Tests that measure the whole process's memory: xunit runs them on their own, after the parallel ones.</summary>
[CollectionDefinition(nameof(MemoryMeasurementCollection), DisableParallelization = true)]
public sealed class MemoryMeasurementCollection;
