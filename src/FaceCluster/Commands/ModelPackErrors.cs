using System.Management.Automation;
using FaceCluster.Engine.Models;

namespace FaceCluster.Commands;

/// <summary>The error records of the pack cmdlets: one stable id per problem.</summary>
internal static class ModelPackErrors
{
    public static ErrorRecord Of(ModelPackDefinitionException e) =>
        new(e, "ModelPackInvalid", ErrorCategory.InvalidData, e.FilePath);

    public static ErrorRecord Of(ModelPackInstallException e) =>
        new(e, "ModelPack" + e.Problem, e.Problem switch
        {
            ModelPackInstallProblem.LicenseNotAccepted => ErrorCategory.PermissionDenied,
            ModelPackInstallProblem.FileNotGiven or ModelPackInstallProblem.NotInstalled => ErrorCategory.ObjectNotFound,
            ModelPackInstallProblem.HashMismatch => ErrorCategory.InvalidData,
            _ => ErrorCategory.ResourceExists,
        }, e.Target);
}
