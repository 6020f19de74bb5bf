namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// A small deterministic random source (xoshiro256** seeded through SplitMix64) so that a phantom depends only on
/// the seed and its position (patient, slice), never on thread scheduling or the runtime's <see cref="Random"/>.
/// </summary>
public sealed class PhantomRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a stream for the given key parts (for example seed, patient index, slice index).</summary>
    public PhantomRandom(params ReadOnlySpan<long> key)
    {
        ulong x = 0x6A09E667F3BCC909UL;
        foreach (var k in key) x = Mix(x ^ (ulong)k);
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [min, max).</summary>
    public int Next(int min, int max) => min + (int)((NextUInt64() >> 33) % (ulong)(max - min));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A standard normal deviate.</summary>
    public double Gaussian() => GaussianTable.Sample((ushort)(NextUInt64() >> 48));

    /// <summary>Adds <paramref name="sigma"/>-scaled standard normal noise to every value, four deviates per 64 random bits.</summary>
    public void AddGaussianNoise(Span<float> values, float sigma)
    {
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            ulong r = NextUInt64();
            values[i] += sigma * GaussianTable.Sample((ushort)r);
            values[i + 1] += sigma * GaussianTable.Sample((ushort)(r >> 16));
            values[i + 2] += sigma * GaussianTable.Sample((ushort)(r >> 32));
            values[i + 3] += sigma * GaussianTable.Sample((ushort)(r >> 48));
        }
        for (; i < values.Length; i++) values[i] += sigma * (float)Gaussian();
    }

    /// <summary>A 64-bit hash of the key parts, for deriving identifiers.</summary>
    public static ulong Hash(params ReadOnlySpan<long> key)
    {
        ulong x = 0xBB67AE8584CAA73BUL;
        foreach (var k in key) x = Mix(x ^ (ulong)k);
        return x;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
