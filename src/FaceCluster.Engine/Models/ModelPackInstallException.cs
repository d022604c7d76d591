namespace FaceCluster.Engine.Models;

/// <summary>A pack cannot be installed or removed; nothing was changed.</summary>
public sealed class ModelPackInstallException : Exception
{
    public ModelPackInstallException(ModelPackInstallProblem problem, string target, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        Target = target;
    }

    public ModelPackInstallProblem Problem { get; }

    /// <summary>The file or pack name at fault.</summary>
    public string Target { get; }
}
