namespace FaceCluster.ModelConverter;

/// <summary>One dequantised weight tensor of a TensorFlow.js weights manifest, in TensorFlow's layout.</summary>
/// <param name="Name">The weight's name in the manifest, e.g. <c>conv32_1/conv1/conv/filters</c>.</param>
/// <param name="Shape">TensorFlow's shape: HWIO for convolution filters, [in, out] for dense weights.</param>
/// <param name="Values">The values in row-major order of <paramref name="Shape"/>.</param>
internal sealed record TfjsTensor(string Name, int[] Shape, float[] Values)
{
    public int ElementCount => Shape.Aggregate(1, (product, dimension) => product * dimension);
}
