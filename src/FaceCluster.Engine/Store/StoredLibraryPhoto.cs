namespace FaceCluster.Engine.Store;

/// <summary>One path of a <see cref="StoredLibrary"/>: its state and, when <see cref="StoredLibraryState.Stored"/>, its entry.</summary>
public sealed record StoredLibraryPhoto(string Path, StoredLibraryState State, StoredPhoto? Photo);
