using Microsoft.ML.OnnxRuntime;

namespace EdgeCancer.Inference.Onnx;

/// <summary>Runs a session on one float input and reads one float output.</summary>
public static class OnnxRunner
{
    /// <summary>Runs <paramref name="session"/> with <paramref name="input"/> of <paramref name="shape"/> and returns <paramref name="outputName"/> as floats.</summary>
    public static float[] Run(InferenceSession session, string inputName, float[] input, long[] shape, string outputName) =>
        Run(session, inputName, input.AsMemory(), shape, outputName);

    /// <summary>
    /// As <see cref="Run(InferenceSession, string, float[], long[], string)"/> over memory the caller owns (a pooled
    /// buffer): ONNX Runtime reads it in place, nothing is copied or allocated for the input.
    /// </summary>
    public static float[] Run(InferenceSession session, string inputName, Memory<float> input, long[] shape, string outputName)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
