using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>
/// One step of an <see cref="ExportPlan"/>. <see cref="Description"/> and <see cref="Target"/> are what the cmdlet passes
/// to ShouldProcess, so -WhatIf prints every step without writing anything.
/// </summary>
public sealed record ExportAction
{
    public required ExportActionKind Kind { get; init; }

    /// <summary>Full path written by this step (a folder for <see cref="ExportActionKind.CreateDirectory"/>).</summary>
    public required string Destination { get; init; }

    /// <summary>Full path of the source photo; null for folders and the manifest.</summary>
    public string? Source { get; init; }

    /// <summary>Label of the group this step belongs to; null for the output folder and the manifest.</summary>
    public string? GroupLabel { get; init; }

    /// <summary>For <see cref="ExportActionKind.WriteRepresentative"/>: the face to crop.</summary>
    public FaceEncoding? Face { get; init; }

    /// <summary>For <see cref="ExportActionKind.WriteManifest"/>: the document to write.</summary>
    public FaceManifest? Manifest { get; init; }

    /// <summary>-Sync, for a placement: full path of an earlier export's file of the same photo, moved to the
    /// destination if it is unchanged (else the photo is placed afresh, and the result's action has no Previous).</summary>
    public string? Previous { get; init; }

    /// <summary>-Sync, with <see cref="Previous"/> and for <see cref="ExportActionKind.RemoveFile"/>: the earlier
    /// export's record of the file, to check that it is unchanged.</summary>
    public FaceManifestOwnedFile? Owned { get; init; }

    /// <summary>-Sync, for placements and representatives: the earlier export's record of the file at the destination,
    /// which is replaced while it is unchanged (it holds an older version of the source, or another face).</summary>
    public FaceManifestOwnedFile? Replaces { get; init; }

    /// <summary>-Sync, for the manifest steps: any earlier faces.json in the folder may be replaced.</summary>
    public bool Sync { get; init; }

    /// <summary>What the step does, in words (ShouldProcess's action).</summary>
    public required string Description { get; init; }

    /// <summary>What the step writes (ShouldProcess's target): the destination path.</summary>
    public string Target => Destination;

    public override string ToString() => $"{Description}: {Target}";
}
