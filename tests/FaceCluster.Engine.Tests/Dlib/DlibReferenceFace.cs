namespace FaceCluster.Engine.Tests.Dlib;

/// <summary>One face of the face-api reference run: where it was found, the chip its descriptor network received, and the descriptor.</summary>
internal sealed record DlibReferenceFace(string Photo, int Index, float[] Box, float[][] Landmarks68, string ChipPath, float[] Descriptor)
{
    /// <summary>The chip: 150x150x3 float32, HWC, RGB, 0..255.</summary>
    public float[] ReadChip()
    {
        byte[] bytes = File.ReadAllBytes(ChipPath);
        var chip = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, chip, 0, bytes.Length);
        return chip;
    }
}
