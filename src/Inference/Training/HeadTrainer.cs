using Microsoft.ML;
using Microsoft.ML.Data;

namespace EdgeCancer.Inference.Training;

/// <summary>
/// Trains small classifier heads on backbone features with ML.NET (mean/variance normalisation, then L-BFGS
/// logistic regression or maximum entropy; fixed seed) and exports them to ONNX. The export is given a data view
/// with the features column only, so the ONNX graph takes just <c>Features</c> and no label.
/// </summary>
public static class HeadTrainer
{
    /// <summary>Name of the ONNX input of exported heads.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>An exported head: the ONNX bytes and the output a prediction is read from.</summary>
    public sealed record ExportedHead(byte[] Onnx, string Trainer);

    /// <summary>Trains a multi-class head; <paramref name="labels"/> are indices into the class list (0-based).</summary>
    public static ExportedHead TrainMulticlass(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, int classes, int seed)
    {
        var ml = new MLContext(seed);
        int length = features[0].Length;
        var rows = features.Select((f, i) => new MulticlassRow { Features = f, LabelIndex = labels[i] }).ToList();
        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema[nameof(MulticlassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        var raw = ml.Data.LoadFromEnumerable(rows, schema);
        // Keys by sorted value: class index 0 → key 1 → score slot 0. Fitted apart from the exported pipeline, whose
        // input is the features alone.
        var keys = ml.Transforms.Conversion.MapValueToKey("Label", nameof(MulticlassRow.LabelIndex), keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue);
        var data = keys.Fit(raw).Transform(raw);
        if (rows.Select(r => r.LabelIndex).Distinct().Count() != classes)
            throw new ArgumentException($"every one of the {classes} classes needs training images.", nameof(labels));
        var pipeline = ml.Transforms.NormalizeMeanVariance(FeaturesColumn)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = FeaturesColumn,
                L2Regularization = 1f,
                L1Regularization = 0f,
                NumberOfThreads = 1,
            }));
        var model = pipeline.Fit(data);
        return new ExportedHead(Export(ml, model, length), "ML.NET 5.0.1 NormalizeMeanVariance + LbfgsMaximumEntropy (L2 1.0), seed " + seed);
    }

    /// <summary>The ML.NET context and data view of binary rows of fixed-length feature vectors.</summary>
    private static (MLContext Ml, IDataView Data, int Length) BinaryData(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, int seed)
    {
        var ml = new MLContext(seed);
        int length = features[0].Length;
        var rows = features.Select((f, i) => new BinaryRow { Features = f, Label = labels[i] }).ToList();
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return (ml, ml.Data.LoadFromEnumerable(rows, schema), length);
    }

    /// <summary>Trains a binary head (probability of the positive class).</summary>
    public static ExportedHead TrainBinary(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, int seed)
    {
        var (ml, data, length) = BinaryData(features, labels, seed);
        var pipeline = ml.Transforms.NormalizeMeanVariance(FeaturesColumn)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = FeaturesColumn,
                L2Regularization = 1f,
                L1Regularization = 0f,
                NumberOfThreads = 1,
            }));
        var model = pipeline.Fit(data);
        return new ExportedHead(Export(ml, model, length), "ML.NET 5.0.1 NormalizeMeanVariance + LbfgsLogisticRegression (L2 1.0), seed " + seed);
    }

    /// <summary>Boosted-tree settings of <see cref="TrainBinaryTrees"/>.</summary>
    public const int TreeLeaves = 4, Trees = 300, MinimumExamplesPerLeaf = 10;

    /// <summary>Tree learning rate of <see cref="TrainBinaryTrees"/>.</summary>
    public const double TreeLearningRate = 0.1;

    /// <summary>
    /// Trains a binary head of gradient-boosted trees (ML.NET FastTree, single-threaded, Platt-calibrated), which can
    /// combine thresholds on a few strong values (a spot's radius, where it lies, its density) with the backbone's
    /// features; exported to ONNX (ai.onnx.ml TreeEnsembleClassifier).
    /// </summary>
    public static ExportedHead TrainBinaryTrees(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, int seed)
    {
        var (ml, data, length) = BinaryData(features, labels, seed);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = FeaturesColumn,
            NumberOfLeaves = TreeLeaves,
            NumberOfTrees = Trees,
            MinimumExampleCountPerLeaf = MinimumExamplesPerLeaf,
            LearningRate = TreeLearningRate,
            NumberOfThreads = 1,
            FeatureFraction = 1,
        });
        var model = trainer.Fit(data);
        return new ExportedHead(Export(ml, model, length), FormattableString.Invariant($"ML.NET 5.0.1 FastTree (gradient-boosted trees: {Trees} trees of {TreeLeaves} leaves, at least {MinimumExamplesPerLeaf} images per leaf, learning rate {TreeLearningRate}, Platt calibration), seed {seed}"));
    }

    private static byte[] Export(MLContext ml, ITransformer model, int length)
    {
        var schema = SchemaDefinition.Create(typeof(FeaturesRow));
        schema[nameof(FeaturesRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        var featuresOnly = ml.Data.LoadFromEnumerable(new[] { new FeaturesRow { Features = new float[length] } }, schema);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, featuresOnly, stream);
        return stream.ToArray();
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class MulticlassRow
    {
        public float[] Features { get; set; } = [];
        public int LabelIndex { get; set; }
    }
}
