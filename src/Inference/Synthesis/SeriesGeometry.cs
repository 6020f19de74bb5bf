namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Where the images of a series lie in the patient coordinate system (LPS, PS3.3 C.7.6.2.1.1): axial images with
/// orientation 1\0\0\0\1\0, the first slice the most superior, each next one <see cref="SliceSpacing"/> mm lower.
/// </summary>
public sealed record SeriesGeometry(int Rows, int Columns, double PixelSpacing, double OriginX, double OriginY, double FirstZ, double SliceSpacing, double SliceThickness, int Slices)
{
    /// <summary>z (mm) of slice <paramref name="index"/> (0-based); also its Slice Location.</summary>
    public double Z(int index) => FirstZ - index * SliceSpacing;

    /// <summary>x (mm) of the centre of column <paramref name="column"/>.</summary>
    public double X(int column) => OriginX + column * PixelSpacing;

    /// <summary>y (mm) of the centre of row <paramref name="row"/>.</summary>
    public double Y(int row) => OriginY + row * PixelSpacing;

    /// <summary>The column whose centre is nearest to <paramref name="x"/>.</summary>
    public int Column(double x) => (int)Math.Round((x - OriginX) / PixelSpacing);

    /// <summary>The row whose centre is nearest to <paramref name="y"/>.</summary>
    public int Row(double y) => (int)Math.Round((y - OriginY) / PixelSpacing);

    /// <summary>The slice whose plane is nearest to <paramref name="z"/>, or −1 when z is outside the series.</summary>
    public int Slice(double z)
    {
        int i = (int)Math.Round((FirstZ - z) / SliceSpacing);
        return i >= 0 && i < Slices ? i : -1;
    }
}
