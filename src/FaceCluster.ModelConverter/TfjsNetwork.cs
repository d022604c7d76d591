using Onnx;

namespace FaceCluster.ModelConverter;

/// <summary>A face-api network the converter knows: its weights manifest, how to build its graph and what to say about the result.</summary>
/// <param name="ModelName">face-api's model name, the prefix of <c>{ModelName}-weights_manifest.json</c>; the value of <c>--model</c>.</param>
internal sealed record TfjsNetwork(
    string ModelName,
    Func<IReadOnlyDictionary<string, TfjsTensor>, GraphProto> Build,
    string Documentation,
    IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    public static IReadOnlyList<TfjsNetwork> All { get; } =
    [
        new(
            "face_recognition_model",
            DlibFaceDescriptorNetworkBuilder.Build,
            "dlib's face descriptor network (dlib_face_recognition_resnet_model_v1, weights CC0 by Davis King) converted from face-api's TensorFlow.js weights (MIT). "
                + "Input: [batch, 3, 150, 150] RGB, (pixel - [122.782, 117.001, 104.298]) / 255. Output: [batch, 128] descriptor, compared by Euclidean distance.",
            [
                new("source", "face-api face_recognition_model (TensorFlow.js, uint8-quantised)"),
                new("input_mean_rgb", "122.782,117.001,104.298"),
                new("input_divisor", "255"),
                new("metric", "Euclidean"),
            ]),
        new(
            "ssd_mobilenetv1_model",
            SsdMobilenetV1NetworkBuilder.Build,
            "face-api's SSD MobileNet v1 face detector converted from its TensorFlow.js weights (MIT). "
                + "Input: [batch, 3, 512, 512] RGB, pixel / 127.5 - 1, of the photo padded with black at the bottom or right to a square and resized to 512x512. "
                + "Outputs: boxes [batch, 5118, 4] (top, left, bottom, right) in units of the padded square, scores [batch, 5118] (sigmoid); "
                + "face-api keeps scores above 0.5 and suppresses overlaps with IoU above 0.5, at most 100 faces.",
            [
                new("source", "face-api ssd_mobilenetv1_model (TensorFlow.js, uint8-quantised)"),
                new("input_size", "512"),
                new("input_scale", "127.5"),
                new("input_offset", "-1"),
                new("box_order", "top,left,bottom,right"),
            ]),
    ];
}
