using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Training;

/// <summary>
/// One labelled image of a synthetic data set, rendered on demand.
/// </summary>
/// <param name="Id">Unique within a data set (e.g. <c>chest/s1001/p3/i20</c>).</param>
/// <param name="BodyPart">chest, head, abdomen or other.</param>
/// <param name="Malignant">For chest slices used by the malignancy model: true when a malignant-looking lesion is
/// visibly cut (section ≥ <see cref="SyntheticDataset.VisibleSectionMm"/>), false when no lesion is cut; null when
/// the slice is not used for malignancy (other regions, benign lesions, lesion edges).</param>
/// <param name="Render">Renders the image in HU.</param>
public sealed record TrainingSample(string Id, string BodyPart, bool? Malignant, Func<HuImage> Render);
