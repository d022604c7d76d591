namespace FaceCluster.Engine.FileSystem;

/// <summary>One finding of a <see cref="PhotoFolderWalker"/>: a photo's full path, or a folder left out and why.</summary>
/// <param name="Path">The photo's or the folder's full path.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Error">Why an <see cref="PhotoWalkEntryKind.UnreadableFolder"/> could not be listed; otherwise null.</param>
public readonly record struct PhotoWalkEntry(string Path, PhotoWalkEntryKind Kind, Exception? Error = null);
