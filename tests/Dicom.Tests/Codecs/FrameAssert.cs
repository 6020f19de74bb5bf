using EdgeCancer.Dicom.Imaging.Codecs;

namespace EdgeCancer.Dicom.Tests.Codecs;

internal static class FrameAssert
{
    /// <summary>Asserts byte-for-byte equality, naming the first differing sample when there is one.</summary>
    public static void SameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, PixelFrameInfo info, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        int mismatch = expected.CommonPrefixLength(actual);
        if (mismatch < expected.Length)
        {
            int bytesPerSample = info.BytesPerSample;
            int sample = mismatch / bytesPerSample;
            int differing = 0;
            for (int i = mismatch; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                {
                    differing++;
                }
            }

            Assert.Fail(
                $"{what}: {differing} bytes differ; first at byte {mismatch} (sample {sample}, " +
                $"pixel {sample / info.SamplesPerPixel}): expected 0x{expected[mismatch]:X2}, got 0x{actual[mismatch]:X2}.");
        }
    }
}
