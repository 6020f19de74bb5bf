namespace EdgeCancer.Inference.Synthesis;

/// <summary>The anatomical region a phantom series covers; written as Body Part Examined (0018,0015).</summary>
public enum BodyRegion
{
    Chest,
    Head,
    Abdomen,
}

/// <summary>Which region each patient of a synthesis run gets.</summary>
public enum BodyRegionChoice
{
    Chest,
    Head,
    Abdomen,
    /// <summary>Patients rotate through chest, head and abdomen (starting point from the seed), so every region is equally represented.</summary>
    Mixed,
}

/// <summary>How lesions are assigned to patients.</summary>
public enum LesionMode
{
    /// <summary>About 40 % healthy controls, 20 % benign-looking lesions only, 40 % with at least one malignant-looking lesion.</summary>
    Auto,
    /// <summary>No lesions: every patient is a healthy control.</summary>
    None,
    /// <summary>Every chest and abdomen patient has at least one malignant-looking lesion (plus possibly benign ones).</summary>
    Always,
}
