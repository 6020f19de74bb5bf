using System.Globalization;
using System.Text;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Training;

/// <summary>Writes <c>models/&lt;name&gt;/README.md</c>: what the model is, the data, held-out metrics and intended use.</summary>
public static class ModelCard
{
    /// <summary>The card's text for a trained head.</summary>
    public static string Render(ModelManifest m)
    {
        var t = m.Training;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {m.Name} (version {m.Version})");
        sb.AppendLine();
        sb.AppendLine("> **Demonstration model trained on synthetic CT phantoms. Not for clinical use.** It has never seen a real");
        sb.AppendLine("> patient's scan; its figures describe how it separates the phantoms of `edgecancer synth` and say nothing about");
        sb.AppendLine("> real CT. Do not use it to diagnose, triage or screen anyone.");
        sb.AppendLine();
        sb.AppendLine("## What it does");
        sb.AppendLine(m.Description);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Task: {m.Task.ToString()}; labels: {string.Join(", ", m.Labels)}.");
        if (m.Thresholds.Count > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Thresholds: {string.Join(", ", m.Thresholds.Select(kv => FormattableString.Invariant($"{kv.Key} ≥ {kv.Value:0.00}")))}.");
        if (m.AppliesTo is { } gate)
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Runs only on images that `{gate.Model}` labels `{gate.Label}`.");
        if (m.Backbone is { } bb)
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Architecture: frozen ImageNet ResNet18 backbone (`{bb.Name}` {bb.Version}, sha256 `{bb.Sha256}`) → 512 features{(m.Preprocessing?.Features is { Count: > 0 } fs ? $" + {string.Join(" + ", fs.Select(f => $"`{f}` ({FeatureSets.LengthOf(f)} values)"))} from HU (see docs/models.md)" : "")} → {t?.Trainer}, exported to ONNX (`{m.OnnxFile.Path}`, sha256 `{m.OnnxFile.Sha256}`).");
        if (m.Preprocessing is { } p)
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Input: {string.Join("/", p.Modalities)} images; stored values → HU (Rescale Slope/Intercept) → windows {string.Join(", ", p.Windows.Select(w => FormattableString.Invariant($"{w.Name} {w.Center}/{w.Width}")))} as R, G, B (0–255) → {(p.Tiles == 1 ? "" : $"four overlapping tiles (each {PreprocessingSpec.TileFraction:P0} of the image's width and height), each ")}bilinear {p.Size}×{p.Size} → minus ImageNet mean, {p.ChannelOrder} planes{(p.Tiles == 1 ? "" : "; backbone features max-pooled over the tiles (four backbone passes per image)")}{(p.Tiles == 1 ? " (one backbone pass per image, shared with every head of the same preprocessing)" : "")}{(p.Features is { Count: > 0 } ? $"; beside it, from the same HU image, the feature sets {string.Join(", ", p.Features)} (`preprocessing.features` in model.json; lung mask by thresholding at {LungLesionDescriptors.DenseHu} HU with border-connected air removed, dense spots inside or against the lungs measured: radius, lung share of the surroundings, distance from the midline, HU statistics, ground-glass and solid fractions)" : "")}. Images smaller than {p.MinimumSize}×{p.MinimumSize}, colour, non-{string.Join("/", p.Modalities)}, without pixel data or in a transfer syntax without a decoder are reported \"not analysed\" with the reason.");
        sb.AppendLine();
        if (t is not null)
        {
            sb.AppendLine("## Data");
            sb.AppendLine(t.Data);
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Training set: seed {t.TrainSeed}, {t.TrainImages} images ({string.Join(", ", t.TrainImagesPerLabel.Select(kv => $"{kv.Key} {kv.Value}"))}).");
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Held-out set: seed {t.HeldOutSeed} (different patients, never seen in training), {t.HeldOutImages} images ({string.Join(", ", t.HeldOutImagesPerLabel.Select(kv => $"{kv.Key} {kv.Value}"))}).");
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Reproduce: `{t.Command}` (fixed seeds; ML.NET seed and single-threaded trainers).");
            sb.AppendLine();
        }
        sb.AppendLine("## Held-out metrics");
        foreach (var (k, v) in m.Metrics) sb.AppendLine(CultureInfo.InvariantCulture, $"- {k}: {v:0.000}");
        if (m.Metrics.TryGetValue("heldOutAuc", out double auc))
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Target of issue 4: AUC ≥ {EvaluationReport.AucTarget:0.00} — **{(auc >= EvaluationReport.AucTarget ? "met" : "not met")}**.");
        if (m.Metrics.TryGetValue("heldOutAccuracy", out double accuracy))
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Target of issue 4: accuracy ≥ {EvaluationReport.BodyPartTarget:0.00} — **{(accuracy >= EvaluationReport.BodyPartTarget ? "met" : "not met")}**.");
        sb.AppendLine();
        sb.AppendLine("Printed again by `edgecancer train --evaluate` (re-runs the active models on the held-out set).");
        sb.AppendLine();
        sb.AppendLine("## Intended use");
        sb.AppendLine(m.IntendedUse);
        sb.AppendLine();
        sb.AppendLine("## Limitations");
        sb.AppendLine("- Phantoms are ellipse-based; real anatomy, artefacts, contrast phases, reconstruction kernels and pathology are far richer.");
        sb.AppendLine("- One image at a time (no 3-D context); lesions are judged only on slices that cut them.");
        sb.AppendLine("- The backbone was trained on ImageNet photographs, not on medical images.");
        if (m.Preprocessing?.Features?.Contains(LungLesionDescriptors.Name) == true)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- `{LungLesionDescriptors.Name}` thresholds HU as these phantoms render them (aerated lung ≈ −850, ground glass ≥ −600): emphysema, consolidation, effusion or a different reconstruction would move what it finds. It sees a spot only when at least {LungLesionDescriptors.MinLungFraction:P0} of a circle {LungLesionDescriptors.RingMarginMm} mm around it is lung, so a lesion broadly against the heart or the chest wall, or wrapped in its own spicules, can be missed; large hilar vessels cut across look like nodules on one image.");
            sb.AppendLine("- At the 0.50 threshold the held-out sensitivity is modest (see above): the probability ranks images well (AUC) but is not a screening decision.");
        }
        return sb.ToString();
    }
}
