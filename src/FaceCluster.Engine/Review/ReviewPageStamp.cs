using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.Review;

/// <summary>A page of people, a person's or the doubtful faces as an export left it (<see cref="ReviewPageState"/>).</summary>
/// <param name="Path">The page's path relative to the export folder (<see cref="ReviewSite.PeoplePage"/>, <see cref="ReviewSite.PersonPage"/>, <see cref="ReviewSite.DoubtfulPage"/>).</param>
/// <param name="Inputs">Fingerprint of what the page shows (<see cref="ReviewFile.Inputs"/>).</param>
/// <param name="File">The page's length and time as the export wrote (or found) it.</param>
public sealed record ReviewPageStamp(string Path, string Inputs, FileStamp File);
