namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// One filled ellipse of an axial section (patient coordinates in mm: +x to the patient's left, +y posterior), painted
/// with a CT number that may vary linearly along y (the gravity-dependent density of lungs), optionally clipped to
/// another ellipse (vessels kept inside the lung, gas kept inside a bowel loop).
/// </summary>
public sealed record EllipseShape(double Cx, double Cy, double A, double B, double Angle, float Hu)
{
    /// <summary>HU change per mm of y relative to <see cref="Cy"/>.</summary>
    public float GradientY { get; init; }

    /// <summary>When set, only the part inside this ellipse is painted.</summary>
    public EllipseShape? Clip { get; init; }

    /// <summary>A circle.</summary>
    public static EllipseShape Circle(double cx, double cy, double r, float hu) => new(cx, cy, r, r, 0, hu);

    /// <summary>The same ellipse shrunk by <paramref name="inset"/> mm on both axes (for rings painted inside-out).</summary>
    public EllipseShape Inset(double inset, float hu) => this with { A = Math.Max(0, A - inset), B = Math.Max(0, B - inset), Hu = hu, GradientY = 0 };

    /// <summary>The x interval where the horizontal line at <paramref name="y"/> is inside the ellipse (and its clip).</summary>
    public bool TrySpan(double y, out double x0, out double x1)
    {
        x0 = x1 = 0;
        if (A <= 0 || B <= 0) return false;
        double dy = y - Cy;
        double r = Math.Max(A, B);
        if (dy < -r || dy > r) return false;
        double cos = Math.Cos(Angle), sin = Math.Sin(Angle);
        double ia = 1 / (A * A), ib = 1 / (B * B);
        // Inside when p²/A² + q²/B² ≤ 1 with p = dx·cos + dy·sin, q = −dx·sin + dy·cos: a quadratic in dx.
        double qa = cos * cos * ia + sin * sin * ib;
        double qb = 2 * dy * sin * cos * (ia - ib);
        double qc = dy * dy * (sin * sin * ia + cos * cos * ib) - 1;
        double disc = qb * qb - 4 * qa * qc;
        if (disc < 0) return false;
        double root = Math.Sqrt(disc);
        x0 = Cx + (-qb - root) / (2 * qa);
        x1 = Cx + (-qb + root) / (2 * qa);
        if (Clip is not null)
        {
            if (!Clip.TrySpan(y, out var c0, out var c1)) return false;
            x0 = Math.Max(x0, c0);
            x1 = Math.Min(x1, c1);
            if (x0 > x1) return false;
        }
        return true;
    }

    /// <summary>True when (x, y) is inside.</summary>
    public bool Contains(double x, double y) => TrySpan(y, out var x0, out var x1) && x >= x0 && x <= x1;

    /// <summary>The value painted at row coordinate <paramref name="y"/>.</summary>
    public float ValueAt(double y) => GradientY == 0 ? Hu : Hu + GradientY * (float)(y - Cy);
}
