using Microsoft.ML.OnnxRuntime;

namespace EdgeCancer.Inference.Onnx;

/// <summary>Runs a session on one float input and reads one float output.</summary>
public static class OnnxRunner
{
    /// <summary>Runs <paramref name="session"/> with <paramref name="input"/> of <paramref name="shape"/> and returns <paramref name="outputName"/> as floats.</summary>
    public static float[] Run(InferenceSession session, string inputName, float[] input, long[] shape, string outputName)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
