namespace FaceCluster.Engine.Tests.Dlib;

/// <summary>
/// Finds what the build produces for the dlib pack's tests: the converted model and the face-api reference run.
/// Missing files are a failure with instructions, never a silent skip.
/// </summary>
internal static class DlibTestArtifacts
{
    public const string ModelFileName = "dlib_face_recognition.onnx";
    public const string SsdModelFileName = "ssd_mobilenetv1.onnx";

    /// <summary>dlib/ in the build's models folder (<see cref="TestAssets.ModelsDirectory"/>).</summary>
    public static string ModelPath => RequireFile(
        Path.Combine(TestAssets.ModelsDirectory, "dlib", ModelFileName),
        "Run the build (build.ps1), which converts face-api's weights with: dotnet run --project src/FaceCluster.ModelConverter -c Release -- --tfjs <face-api>/model --model face_recognition_model --out artifacts/module/FaceCluster/models/dlib/" + ModelFileName);

    /// <summary>dlib/ssd_mobilenetv1.onnx in the build's models folder: face-api's SSD MobileNet v1, converted.</summary>
    public static string SsdModelPath => RequireFile(
        Path.Combine(TestAssets.ModelsDirectory, "dlib", SsdModelFileName),
        "Run the build (build.ps1), which converts face-api's weights with: dotnet run --project src/FaceCluster.ModelConverter -c Release -- --tfjs <face-api>/model --model ssd_mobilenetv1_model --out artifacts/module/FaceCluster/models/dlib/" + SsdModelFileName);

    /// <summary>FACECLUSTER_DLIB_REFERENCE or artifacts/reference/dlib above the test binaries.</summary>
    public static string ReferenceDirectory
    {
        get
        {
            string directory = Environment.GetEnvironmentVariable("FACECLUSTER_DLIB_REFERENCE") is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : Path.Combine(ArtifactsDirectory, "reference", "dlib");
            RequireFile(
                Path.Combine(directory, "reference.json"),
                "Run the reference harness first: (cd tests/reference-harness && npm install && node record-reference.js --out ../../artifacts/reference/dlib)");
            return directory;
        }
    }

    private static string ArtifactsDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "FaceCluster.sln")))
                {
                    return Path.Combine(directory.FullName, "artifacts");
                }
            }

            Assert.Fail($"No FaceCluster.sln above {AppContext.BaseDirectory}; set FACECLUSTER_MODELS and FACECLUSTER_DLIB_REFERENCE.");
            return string.Empty;
        }
    }

    private static string RequireFile(string path, string advice)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing. {advice}");
        }

        return path;
    }
}
