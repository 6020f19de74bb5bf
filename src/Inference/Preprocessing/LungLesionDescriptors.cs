using System.Buffers;

namespace EdgeCancer.Inference.Preprocessing;

/// <summary>
/// Feature set <c>lung-lesions/1</c>: a few numbers about dense spots inside the lungs, computed from Hounsfield units
/// in a few milliseconds, that a head reads after the backbone's features. A 10–30 mm nodule covers 0.1–1 % of a
/// 512 × 512 slice and barely moves ImageNet features pooled over the whole field; in HU it is plain to see.
/// <para>
/// Steps: 3 × 3 mean (noise ÷ 3) → air = below <see cref="DenseHu"/> → air connected to the image border is outside
/// the body; the rest of the air is inside it (lungs, airways, bowel gas) → every 4-connected dense region whose
/// every neighbour is inside air (a region enclosed by lung, as a nodule or a vessel in cross-section is; chest wall,
/// mediastinum and everything touching them are not) of 12–4000 mm² is a candidate → per candidate: area, axes of
/// its moment ellipse (a vessel cut obliquely is long and thin; a nodule is round), compactness 4πA/P² (spicules
/// and lobules lower it), mean and standard deviation of HU, ground-glass (−650…−300 HU) and solid (≥ −150 HU)
/// fractions.
/// </para>
/// The vector (<see cref="Names"/>, in this order): image-level counts and the candidate with the longest minor
/// axis (the roundest large one), plus the second-longest minor axis. An image without enclosed air gives zeros.
/// </summary>
public static class LungLesionDescriptors
{
    /// <summary>The name a manifest's <c>preprocessing.features</c> uses.</summary>
    public const string Name = "lung-lesions/1";

    /// <summary>Boundary between aerated lung (≈ −850 HU) and anything denser, ground glass (≈ −600…−450) included.</summary>
    public const float DenseHu = -650;

    /// <summary>Upper bound of ground glass; the lower bound is <see cref="DenseHu"/>.</summary>
    public const float GroundGlassMaxHu = -300;

    /// <summary>Lower bound of solid (soft-tissue) attenuation.</summary>
    public const float SolidMinHu = -150;

    /// <summary>Candidate size range, mm².</summary>
    public const double MinAreaMm2 = 12, MaxAreaMm2 = 4000;

    /// <summary>Minor axis (mm) from which a candidate counts as round enough to be a nodule's section.</summary>
    public const double RoundMinorAxisMm = 5;

    /// <summary>Spot radius range (mm) and how far beyond the spot (mm) its surroundings are sampled.</summary>
    public const double MinBlobRadiusMm = 2, MaxBlobRadiusMm = 30, RingMarginMm = 1.5;

    /// <summary>Distance from the midline (mm) within which the large pulmonary vessels leave the hila.</summary>
    public const double HilumReachMm = 40;

    /// <summary>Share of the surrounding circle that must be inside air for a spot to count.</summary>
    public const double MinLungFraction = 0.55;

    /// <summary>Names of the values, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "insideAirAreaLogCm2", "candidates", "roundCandidates", "candidateAreaFraction", "largestAreaLogMm2",
        "topAreaLogMm2", "topMinorAxisMm", "topElongation", "topCompactness", "topMeanHu100", "topStdHu100",
        "topGroundGlassFraction", "topSolidFraction", "secondMinorAxisMm",
        "blobs", "blobRadiusMm", "blobLungFraction", "blobMeanHu100", "blobStdHu100", "blobGroundGlassFraction",
        "blobSolidFraction", "secondBlobRadiusMm", "blobMidlineDistanceMm",
        "peripheralBlobRadiusMm", "peripheralBlobLungFraction", "peripheralBlobMeanHu100",
    ];

    /// <summary>Number of values.</summary>
    public static int Length => Names.Count;

    /// <summary>Computes the descriptors of <paramref name="image"/>.</summary>
    public static float[] Compute(HuImage image)
    {
        var result = new float[Length];
        Compute(image, result);
        return result;
    }

    /// <summary>Writes the descriptors of <paramref name="image"/> into <paramref name="destination"/> (<see cref="Length"/> values).</summary>
    public static void Compute(HuImage image, Span<float> destination)
    {
        if (destination.Length < Length) throw new ArgumentException($"needs {Length} values.", nameof(destination));
        destination[..Length].Clear();
        int rows = image.Rows, columns = image.Columns, n = rows * columns;
        if (rows < 3 || columns < 3) return;
        double pixelArea = image.PixelSpacingMm * image.PixelSpacingMm;
        var smooth = ArrayPool<float>.Shared.Rent(n);
        var label = ArrayPool<int>.Shared.Rent(n);
        var stack = ArrayPool<int>.Shared.Rent(n);
        var distance = ArrayPool<int>.Shared.Rent(n);
        try
        {
            BoxMean3(image.Values, smooth, rows, columns);
            // label: 0 = unvisited, −1 = outside air, −2 = inside air, k > 0 = dense region k.
            Array.Clear(label, 0, n);
            for (int c = 0; c < columns; c++) { FloodAir(smooth, label, stack, rows, columns, c); FloodAir(smooth, label, stack, rows, columns, (rows - 1) * columns + c); }
            for (int r = 0; r < rows; r++) { FloodAir(smooth, label, stack, rows, columns, r * columns); FloodAir(smooth, label, stack, rows, columns, r * columns + columns - 1); }
            int insideAir = 0;
            for (int i = 0; i < n; i++)
                if (label[i] == 0 && smooth[i] < DenseHu) { label[i] = -2; insideAir++; }
            if (insideAir == 0) return;

            var candidates = new List<Region>();
            int next = 0;
            double candidateArea = 0;
            for (int i = 0; i < n; i++)
            {
                if (label[i] != 0) continue;
                var region = FloodDense(image.Values, smooth, label, stack, rows, columns, i, ++next);
                double area = region.Pixels * pixelArea;
                if (!region.Enclosed || area < MinAreaMm2 || area > MaxAreaMm2) continue;
                candidates.Add(region);
                candidateArea += area;
            }
            destination[0] = (float)Math.Log(1 + insideAir * pixelArea / 100);
            Blobs(image, smooth, label, distance, destination[14..]);
            if (candidates.Count == 0) return;
            double spacing = image.PixelSpacingMm;
            var minor = candidates.Select(r => r.MinorAxis * spacing).ToArray();
            var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => minor[i]).ToArray();
            var top = candidates[order[0]];
            destination[1] = candidates.Count;
            destination[2] = minor.Count(m => m >= RoundMinorAxisMm);
            destination[3] = (float)(candidateArea / (candidateArea + insideAir * pixelArea));
            destination[4] = (float)Math.Log(1 + candidates.Max(r => r.Pixels) * pixelArea);
            destination[5] = (float)Math.Log(1 + top.Pixels * pixelArea);
            destination[6] = (float)minor[order[0]];
            destination[7] = (float)(top.MajorAxis / Math.Max(top.MinorAxis, 1e-6));
            destination[8] = (float)top.Compactness;
            destination[9] = (float)(top.MeanHu / 100);
            destination[10] = (float)(top.StdHu / 100);
            destination[11] = (float)top.GroundGlassFraction;
            destination[12] = (float)top.SolidFraction;
            destination[13] = order.Length > 1 ? (float)minor[order[1]] : 0;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(smooth);
            ArrayPool<int>.Shared.Return(label);
            ArrayPool<int>.Shared.Return(stack);
            ArrayPool<int>.Shared.Return(distance);
        }
    }

    /// <summary>
    /// Round dense spots next to lung, attached or not: the chamfer (3-4) distance of every dense pixel to the nearest
    /// air gives the radius of the largest disc centred there that holds no air; at each local maximum of at least
    /// <see cref="MinBlobRadiusMm"/>, the circle <see cref="RingMarginMm"/> beyond that disc is sampled, and the
    /// spot counts when at least <see cref="MinLungFraction"/> of the circle is inside air (a nodule touching the heart
    /// or the chest wall still passes; the wall, the heart and a crossing of thin vessels do not). Writes the count,
    /// the largest spot's radius, its lung fraction and its HU statistics, and the second radius.
    /// </summary>
    private static void Blobs(HuImage image, float[] smooth, int[] label, int[] distance, Span<float> destination)
    {
        int rows = image.Rows, columns = image.Columns, n = rows * columns;
        const int Straight = 3, Diagonal = 4, Far = int.MaxValue / 2;
        for (int i = 0; i < n; i++) distance[i] = label[i] < 0 ? 0 : Far;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                int i = r * columns + c, d = distance[i];
                if (d == 0) continue;
                if (c > 0) d = Math.Min(d, distance[i - 1] + Straight);
                if (r > 0)
                {
                    d = Math.Min(d, distance[i - columns] + Straight);
                    if (c > 0) d = Math.Min(d, distance[i - columns - 1] + Diagonal);
                    if (c < columns - 1) d = Math.Min(d, distance[i - columns + 1] + Diagonal);
                }
                distance[i] = d;
            }
        for (int r = rows - 1; r >= 0; r--)
            for (int c = columns - 1; c >= 0; c--)
            {
                int i = r * columns + c, d = distance[i];
                if (d == 0) continue;
                if (c < columns - 1) d = Math.Min(d, distance[i + 1] + Straight);
                if (r < rows - 1)
                {
                    d = Math.Min(d, distance[i + columns] + Straight);
                    if (c < columns - 1) d = Math.Min(d, distance[i + columns + 1] + Diagonal);
                    if (c > 0) d = Math.Min(d, distance[i + columns - 1] + Diagonal);
                }
                distance[i] = d;
            }

        double spacing = image.PixelSpacingMm;
        int minimum = (int)Math.Ceiling(MinBlobRadiusMm / spacing * Straight), maximum = (int)(MaxBlobRadiusMm / spacing * Straight);
        const int Samples = 32;
        Span<float> cos = stackalloc float[Samples], sin = stackalloc float[Samples];
        for (int k = 0; k < Samples; k++) { cos[k] = MathF.Cos(2 * MathF.PI * k / Samples); sin[k] = MathF.Sin(2 * MathF.PI * k / Samples); }
        var found = new List<(int Row, int Column, double Radius, double Lung)>();
        for (int r = 1; r < rows - 1; r++)
            for (int c = 1; c < columns - 1; c++)
            {
                int i = r * columns + c, d = distance[i];
                if (d < minimum || d > maximum) continue;
                if (d < distance[i - 1] || d < distance[i + 1] || d < distance[i - columns] || d < distance[i + columns]
                    || d < distance[i - columns - 1] || d < distance[i - columns + 1] || d < distance[i + columns - 1] || d < distance[i + columns + 1]) continue;
                double radius = d / (double)Straight; // pixels
                // At least 1.5 pixels beyond the disc: the 3 × 3 mean widens a spot's edge by about one pixel.
                float ring = (float)(radius + Math.Max(RingMarginMm / spacing, 1.5));
                int lung = 0, missed = 0, allowed = (int)(Samples * (1 - MinLungFraction));
                for (int k = 0; k < Samples && missed <= allowed; k++)
                {
                    int rr = (int)MathF.Round(r + ring * sin[k]), cc = (int)MathF.Round(c + ring * cos[k]);
                    if (rr >= 0 && rr < rows && cc >= 0 && cc < columns && label[rr * columns + cc] == -2) lung++;
                    else missed++;
                }
                if (missed > allowed) continue;
                double fraction = lung / (double)Samples;
                if (fraction >= MinLungFraction) found.Add((r, c, radius, fraction));
            }
        // Strongest first; a maximum inside an accepted spot's disc is the same spot.
        found.Sort((a, b) => b.Radius != a.Radius ? b.Radius.CompareTo(a.Radius) : b.Lung.CompareTo(a.Lung));
        var accepted = new List<(int Row, int Column, double Radius, double Lung)>();
        foreach (var f in found)
        {
            bool inside = false;
            foreach (var a in accepted)
            {
                double dr = f.Row - a.Row, dc = f.Column - a.Column;
                if (dr * dr + dc * dc <= a.Radius * a.Radius) { inside = true; break; }
            }
            if (!inside) accepted.Add(f);
        }
        if (accepted.Count == 0) return;
        var top = accepted[0];
        int reach = (int)Math.Ceiling(top.Radius);
        double sum = 0, squares = 0;
        int count = 0, groundGlass = 0, solid = 0;
        for (int r = Math.Max(0, top.Row - reach); r <= Math.Min(rows - 1, top.Row + reach); r++)
            for (int c = Math.Max(0, top.Column - reach); c <= Math.Min(columns - 1, top.Column + reach); c++)
            {
                double dr = r - top.Row, dc = c - top.Column;
                if (dr * dr + dc * dc > top.Radius * top.Radius) continue;
                int i = r * columns + c;
                double v = image.Values[i];
                sum += v; squares += v * v; count++;
                float s = smooth[i];
                if (s >= DenseHu && s < GroundGlassMaxHu) groundGlass++;
                else if (s >= SolidMinHu) solid++;
            }
        double mean = sum / Math.Max(1, count);
        destination[0] = accepted.Count;
        destination[1] = (float)(top.Radius * spacing);
        destination[2] = (float)top.Lung;
        destination[3] = (float)(mean / 100);
        destination[4] = (float)(Math.Sqrt(Math.Max(0, squares / Math.Max(1, count) - mean * mean)) / 100);
        destination[5] = count == 0 ? 0 : groundGlass / (float)count;
        destination[6] = count == 0 ? 0 : solid / (float)count;
        destination[7] = accepted.Count > 1 ? (float)(accepted[1].Radius * spacing) : 0;
        // Large vessels converge on the hila, next to the midline; nodules lie anywhere in the lungs. The midline is
        // taken as the mean column of the inside air (the two lungs).
        double columnSum = 0;
        long air = 0;
        for (int i = 0; i < n; i++)
            if (label[i] == -2) { columnSum += i % columns; air++; }
        double midline = air == 0 ? columns / 2.0 : columnSum / air;
        destination[8] = (float)(Math.Abs(top.Column - midline) * spacing);
        foreach (var a in accepted)
        {
            if (Math.Abs(a.Column - midline) * spacing < HilumReachMm) continue;
            destination[9] = (float)(a.Radius * spacing);
            destination[10] = (float)a.Lung;
            destination[11] = (float)(image.Values[a.Row * columns + a.Column] / 100);
            break;
        }
    }

    /// <summary>3 × 3 mean with the edge rows and columns copied.</summary>
    private static void BoxMean3(float[] source, float[] destination, int rows, int columns)
    {
        source.AsSpan(0, columns).CopyTo(destination);
        source.AsSpan((rows - 1) * columns, columns).CopyTo(destination.AsSpan((rows - 1) * columns));
        for (int r = 1; r < rows - 1; r++)
        {
            int o = r * columns;
            destination[o] = source[o];
            destination[o + columns - 1] = source[o + columns - 1];
            for (int c = 1; c < columns - 1; c++)
            {
                int i = o + c;
                float sum = source[i - columns - 1] + source[i - columns] + source[i - columns + 1]
                          + source[i - 1] + source[i] + source[i + 1]
                          + source[i + columns - 1] + source[i + columns] + source[i + columns + 1];
                destination[i] = sum * (1f / 9);
            }
        }
    }

    /// <summary>Marks the air region 4-connected to <paramref name="seed"/> as outside air (−1).</summary>
    private static void FloodAir(float[] smooth, int[] label, int[] stack, int rows, int columns, int seed)
    {
        if (label[seed] != 0 || smooth[seed] >= DenseHu) return;
        int top = 0;
        label[seed] = -1;
        stack[top++] = seed;
        while (top > 0)
        {
            int i = stack[--top];
            int r = i / columns, c = i - r * columns;
            if (c > 0) Push(i - 1);
            if (c < columns - 1) Push(i + 1);
            if (r > 0) Push(i - columns);
            if (r < rows - 1) Push(i + columns);
        }

        void Push(int j)
        {
            if (label[j] != 0 || smooth[j] >= DenseHu) return;
            label[j] = -1;
            stack[top++] = j;
        }
    }

    /// <summary>Labels the dense region 4-connected to <paramref name="seed"/> and measures it.</summary>
    private static Region FloodDense(float[] hu, float[] smooth, int[] label, int[] stack, int rows, int columns, int seed, int id)
    {
        int top = 0, pixels = 0, groundGlass = 0, solid = 0;
        bool enclosed = true;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sh = 0, shh = 0;
        long edges = 0;
        label[seed] = id;
        stack[top++] = seed;
        while (top > 0)
        {
            int i = stack[--top];
            int r = i / columns, c = i - r * columns;
            pixels++;
            sx += c; sy += r; sxx += (double)c * c; syy += (double)r * r; sxy += (double)r * c;
            double v = hu[i];
            sh += v; shh += v * v;
            float s = smooth[i];
            if (s < GroundGlassMaxHu) groundGlass++;
            else if (s >= SolidMinHu) solid++;
            if (c == 0 || c == columns - 1 || r == 0 || r == rows - 1) enclosed = false;
            if (c > 0) Visit(i - 1);
            if (c < columns - 1) Visit(i + 1);
            if (r > 0) Visit(i - columns);
            if (r < rows - 1) Visit(i + columns);
        }
        double mx = sx / pixels, my = sy / pixels;
        double cxx = sxx / pixels - mx * mx, cyy = syy / pixels - my * my, cxy = sxy / pixels - mx * my;
        double half = (cxx + cyy) / 2, root = Math.Sqrt(Math.Max(0, (cxx - cyy) * (cxx - cyy) / 4 + cxy * cxy));
        // A filled ellipse with semi-axes a, b has second moments a²/4, b²/4: full axis length = 4·sqrt(eigenvalue).
        // +1/12 per axis: the variance of a pixel's own extent, so a single pixel measures one pixel across.
        double major = 4 * Math.Sqrt(half + root + 1.0 / 12), minor = 4 * Math.Sqrt(Math.Max(0, half - root) + 1.0 / 12);
        double mean = sh / pixels;
        return new Region(pixels, enclosed, major, minor,
            edges == 0 ? 0 : Math.Min(1, 64 * pixels / (Math.PI * edges * edges)),
            mean, Math.Sqrt(Math.Max(0, shh / pixels - mean * mean)), groundGlass / (double)pixels, solid / (double)pixels);

        void Visit(int j)
        {
            int l = label[j];
            if (l == id) return;
            if (l < 0)
            {
                edges++;
                if (l == -1) enclosed = false;
                return;
            }
            if (smooth[j] < DenseHu)
            {
                // Unlabelled air cannot border a dense pixel here: all air is labelled before dense regions are grown.
                edges++;
                return;
            }
            label[j] = id;
            stack[top++] = j;
        }
    }

    /// <summary>One dense region: size in pixels, whether only inside air surrounds it, moment-ellipse axes (pixels),
    /// compactness 4πA/P² scaled by 16/π² so that a digital disc, whose 4-connected boundary is 4/π times its perimeter, gives 1 (capped at 1),
    /// HU statistics and the fractions of ground-glass and solid pixels.</summary>
    private readonly record struct Region(int Pixels, bool Enclosed, double MajorAxis, double MinorAxis, double Compactness,
        double MeanHu, double StdHu, double GroundGlassFraction, double SolidFraction);
}
