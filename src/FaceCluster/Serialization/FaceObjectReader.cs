using System.Collections;
using System.Globalization;
using System.Management.Automation;
using FaceCluster.Model;

namespace FaceCluster.Serialization;

/// <summary>
/// Reads FaceEncoding and FaceGroup (with its ClusteringSettings) from pipeline input: a live record as it is, or a copy that crossed a process
/// (Import-Clixml, Receive-Job, Invoke-Command, ConvertFrom-Json), which is a property bag with the record's
/// properties. PowerShell cannot turn such a bag into a record with required init-only members by itself, so this
/// reads it property by property; numbers keep their exact value (a float stays the same float).
/// </summary>
internal static class FaceObjectReader
{
    public static FaceEncoding ReadEncoding(object? input) => ReadEncoding(input, null);

    /// <summary>The error for <paramref name="face"/>, whose vector has not the <paramref name="length"/> numbers the
    /// other encodings have (a copy cut or altered).</summary>
    public static InvalidFaceObjectException LengthMismatch(FaceEncoding face, int length) =>
        Invalid(FormattableString.Invariant($"its {nameof(FaceEncoding.Vector)} has {face.Vector.Length} numbers where the other encodings of model pack '{face.Model}' have {length}: the copy was cut or altered; encode the photo again (Get-FaceEncoding)"), face.Path);

    private static FaceEncoding ReadEncoding(object? input, object? group)
    {
        if (Unwrap(input) is FaceEncoding face)
        {
            return Sound(face, group ?? face.Path);
        }

        PSObject bag = Bag(input, "a face encoding", group);
        object? target = group ?? Unwrap(Optional(bag, nameof(FaceEncoding.Path))) ?? input;
        return Sound(new FaceEncoding
        {
            Path = Scalar<string>(bag, nameof(FaceEncoding.Path), target),
            FaceIndex = Scalar<int>(bag, nameof(FaceEncoding.FaceIndex), target),
            Box = ReadBox(Required(bag, nameof(FaceEncoding.Box), target), target),
            Landmarks = List(bag, nameof(FaceEncoding.Landmarks), target).Select(p => ReadPoint(p, target)).ToArray(),
            Confidence = Scalar<float>(bag, nameof(FaceEncoding.Confidence), target),
            Vector = ReadVector(bag, target),
            Model = Scalar<string>(bag, nameof(FaceEncoding.Model), target),
            ImageWidth = Scalar<int>(bag, nameof(FaceEncoding.ImageWidth), target),
            ImageHeight = Scalar<int>(bag, nameof(FaceEncoding.ImageHeight), target),
        }, target);
    }

    /// <summary><paramref name="face"/>, unless a value is out of range (a copy altered by hand or by a tool), as no
    /// encoder makes it and as faces.json could not hold it.</summary>
    private static FaceEncoding Sound(FaceEncoding face, object? target)
    {
        FaceBox box = face.Box;
        string? problem =
            face.Vector is null || face.Landmarks is null || face.Model is null ? "it lacks its Vector, Landmarks or Model"
            : string.IsNullOrWhiteSpace(face.Path) || !System.IO.Path.IsPathRooted(face.Path) ? $"its Path '{face.Path}' is not a full path"
            : face.FaceIndex < 0 ? FormattableString.Invariant($"its FaceIndex {face.FaceIndex} is negative")
            : !(float.IsFinite(box.X) && float.IsFinite(box.Y) && float.IsFinite(box.Width) && float.IsFinite(box.Height) && box.Width > 0 && box.Height > 0)
                ? FormattableString.Invariant($"its Box ({box.X}, {box.Y}, {box.Width} x {box.Height}) is not a box")
            : !float.IsFinite(face.Confidence) ? FormattableString.Invariant($"its Confidence {face.Confidence} is not a finite number")
            : face.Landmarks.Any(p => !float.IsFinite(p.X) || !float.IsFinite(p.Y)) ? "its Landmarks hold a point that is not a finite number"
            : face.ImageWidth <= 0 || face.ImageHeight <= 0 ? FormattableString.Invariant($"its image size {face.ImageWidth} x {face.ImageHeight} is not positive")
            : null;
        if (problem is not null)
        {
            throw Invalid($"{problem}: the copy was altered; encode the photo again (Get-FaceEncoding)", target);
        }

        _ = Finite(face.Vector!, target);
        return face;
    }

    public static FaceGroup ReadGroup(object? input)
    {
        if (Unwrap(input) is FaceGroup group)
        {
            return group;
        }

        PSObject bag = Bag(input, "a face group", null);
        object? target = Unwrap(Optional(bag, nameof(FaceGroup.Label))) ?? input;
        return new FaceGroup
        {
            Id = Scalar<int>(bag, nameof(FaceGroup.Id), target),
            Name = Optional(bag, nameof(FaceGroup.Name)) is { } name ? Convert<string>(name, nameof(FaceGroup.Name), target) : null,
            Label = Scalar<string>(bag, nameof(FaceGroup.Label), target),
            MergedIds = Optional(bag, nameof(FaceGroup.MergedIds)) is null ? [] : List(bag, nameof(FaceGroup.MergedIds), target).Select(id => Convert<int>(id, nameof(FaceGroup.MergedIds), target)).ToArray(),
            SplitFromId = OptionalScalar<int>(bag, nameof(FaceGroup.SplitFromId), target),
            Members = List(bag, nameof(FaceGroup.Members), target).Select(m => ReadMember(m, target)).ToArray(),
            Representative = Optional(bag, nameof(FaceGroup.Representative)) is { } representative ? ReadEncoding(representative, target) : null,
            Clustering = Optional(bag, nameof(FaceGroup.Clustering)) is { } clustering ? ReadSettings(clustering, target) : null,
        };
    }

    private static ClusteringSettings ReadSettings(object input, object? target)
    {
        if (Unwrap(input) is ClusteringSettings settings)
        {
            return settings;
        }

        PSObject bag = Bag(input, "clustering settings", target);
        return new ClusteringSettings
        {
            Model = Scalar<string>(bag, nameof(ClusteringSettings.Model), target),
            Algorithm = Scalar<ClusteringAlgorithm>(bag, nameof(ClusteringSettings.Algorithm), target),
            Metric = Scalar<DistanceMetric>(bag, nameof(ClusteringSettings.Metric), target),
            Epsilon = Scalar<double>(bag, nameof(ClusteringSettings.Epsilon), target),
            EpsilonSource = Scalar<SettingSource>(bag, nameof(ClusteringSettings.EpsilonSource), target),
            GroupThreshold = OptionalScalar<double>(bag, nameof(ClusteringSettings.GroupThreshold), target),
            MinSamples = OptionalScalar<int>(bag, nameof(ClusteringSettings.MinSamples), target),
            SeparateSamePhoto = Scalar<bool>(bag, nameof(ClusteringSettings.SeparateSamePhoto), target),
            Run = OptionalScalar<ClusteringRun>(bag, nameof(ClusteringSettings.Run), target) ?? ClusteringRun.Full,
            RunReason = Optional(bag, nameof(ClusteringSettings.RunReason)) is { } reason ? Convert<string>(reason, nameof(ClusteringSettings.RunReason), target) : null,
            PlacedSinceFullRun = OptionalScalar<int>(bag, nameof(ClusteringSettings.PlacedSinceFullRun), target) ?? 0,
            NeighbourSearch = OptionalScalar<NeighbourSearch>(bag, nameof(ClusteringSettings.NeighbourSearch), target),
        };
    }

    private static ClusterMember ReadMember(object? input, object? target)
    {
        PSObject bag = Bag(input, "a cluster member", target);
        return new ClusterMember(
            ReadEncoding(Required(bag, nameof(ClusterMember.Face), target), target),
            Scalar<FaceRole>(bag, nameof(ClusterMember.Role), target))
        {
            NearestClusterId = OptionalScalar<int>(bag, nameof(ClusterMember.NearestClusterId), target),
            NearestClusterDistance = OptionalScalar<double>(bag, nameof(ClusterMember.NearestClusterDistance), target),
            Gate = OptionalScalar<FaceGateReason>(bag, nameof(ClusterMember.Gate), target),
        };
    }

    private static FaceBox ReadBox(object input, object? target)
    {
        if (Unwrap(input) is FaceBox box)
        {
            return box;
        }

        PSObject bag = Bag(input, "a face box", target);
        return new FaceBox(
            Scalar<float>(bag, nameof(FaceBox.X), target),
            Scalar<float>(bag, nameof(FaceBox.Y), target),
            Scalar<float>(bag, nameof(FaceBox.Width), target),
            Scalar<float>(bag, nameof(FaceBox.Height), target));
    }

    private static FacePoint ReadPoint(object? input, object? target)
    {
        if (Unwrap(input) is FacePoint point)
        {
            return point;
        }

        PSObject bag = Bag(input, "a landmark", target);
        return new FacePoint(Scalar<float>(bag, nameof(FacePoint.X), target), Scalar<float>(bag, nameof(FacePoint.Y), target));
    }

    private static float[] ReadVector(PSObject bag, object? target)
    {
        List<object?> items = List(bag, nameof(FaceEncoding.Vector), target);
        var vector = new float[items.Count];
        for (int i = 0; i < vector.Length; i++)
        {
            // Fast paths for what Import-Clixml (float) and ConvertFrom-Json (double) give; a double written from a
            // float converts back to that float.
            vector[i] = Unwrap(items[i]) switch
            {
                float f => f,
                double d => (float)d,
                var other => Convert<float>(other, nameof(FaceEncoding.Vector), target),
            };
        }

        return vector.Length > 0 ? Finite(vector, target) : throw Invalid($"its {nameof(FaceEncoding.Vector)} is empty", target);
    }

    private static float[] Finite(float[] vector, object? target)
    {
        int bad = Array.FindIndex(vector, v => !float.IsFinite(v));
        return bad < 0
            ? vector
            : throw Invalid(FormattableString.Invariant($"its {nameof(FaceEncoding.Vector)} holds {vector[bad]} at {bad}, not a finite number: the copy was altered; encode the photo again (Get-FaceEncoding)"), target);
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    private static PSObject Bag(object? input, string what, object? target)
    {
        // Cut off by a shallow serialization, a nested object arrives as its text.
        object? value = Unwrap(input);
        return value is null or string || value.GetType().IsPrimitive
            ? throw Invalid($"'{input}' is not {what}: a copy serialized too shallowly, or not {what} at all", target ?? input)
            : input as PSObject ?? PSObject.AsPSObject(value);
    }

    /// <summary>The property's value, a nested bag kept in its PSObject (which holds its properties); null if absent.</summary>
    private static object? Optional(PSObject bag, string name) =>
        bag.Properties[name]?.Value is { } value && Unwrap(value) is not null ? value : null;

    private static object Required(PSObject bag, string name, object? target) =>
        Optional(bag, name) ?? throw Invalid($"it has no {name}", target);

    private static List<object?> List(PSObject bag, string name, object? target)
    {
        object? value = Unwrap(Required(bag, name, target));
        return value is IEnumerable items and not string
            ? items.Cast<object?>().ToList()
            : throw Invalid($"its {name} is '{value}', not a list: a copy serialized too shallowly", target);
    }

    private static T Scalar<T>(PSObject bag, string name, object? target) => Convert<T>(Required(bag, name, target), name, target);

    private static T? OptionalScalar<T>(PSObject bag, string name, object? target)
        where T : struct =>
        Optional(bag, name) is { } value ? Convert<T>(value, name, target) : null;

    private static T Convert<T>(object? value, string name, object? target)
    {
        try
        {
            return (T)LanguagePrimitives.ConvertTo(value, typeof(T), CultureInfo.InvariantCulture);
        }
        catch (PSInvalidCastException)
        {
            throw Invalid($"its {name} '{value}' is not a {typeof(T).Name}", target);
        }
    }

    private static InvalidFaceObjectException Invalid(string problem, object? target) =>
        new($"Cannot read the input as a FaceCluster record: {problem}. Copies from Export-Clixml, Start-Job or " +
            "Invoke-Command keep every property when FaceCluster is imported where they are serialized (see about_FaceCluster).", target);
}
