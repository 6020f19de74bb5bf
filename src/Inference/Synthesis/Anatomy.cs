namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// The analytic anatomy of one patient in one region: for any table position z it lists the ellipses of the axial
/// section in paint order (later shapes cover earlier ones). Per-patient variation (size, fat, organ offsets) is drawn
/// once in the constructor from the patient's random stream.
/// </summary>
internal abstract class Anatomy
{
    /// <summary>The region.</summary>
    public abstract BodyRegion Region { get; }

    /// <summary>Cranio-caudal extent of the region in mm.</summary>
    public abstract double Length { get; }

    /// <summary>z (mm, patient coordinates, +z towards the head) of the top of the region.</summary>
    public abstract double TopZ { get; }

    /// <summary>Reconstruction field of view in mm (square).</summary>
    public abstract double FieldOfView { get; }

    /// <summary>Noise standard deviation in HU for a 1 mm slice at the reference dose.</summary>
    public abstract double ReferenceNoise { get; }

    /// <summary>u = 0 at the top of the region, 1 at the bottom.</summary>
    public double U(double z) => (TopZ - z) / Length;

    /// <summary>z for a given u.</summary>
    public double Z(double u) => TopZ - u * Length;

    /// <summary>Adds the section's shapes at <paramref name="z"/>, in paint order.</summary>
    public abstract void AddShapes(double z, List<EllipseShape> shapes);

    /// <summary>The organ sections that lesions may be placed in at <paramref name="z"/> (name and ellipse); empty when none.</summary>
    public abstract IEnumerable<(string Organ, EllipseShape Section)> LesionHosts(double z);

    /// <summary>The range of u where lesions are placed.</summary>
    public abstract (double From, double To) LesionRange { get; }
}
