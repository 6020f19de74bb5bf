namespace EdgeCancer.Inference.Training;

/// <summary>Evaluation figures.</summary>
public static class Metrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random positive scores above a random negative (ties count
    /// half), i.e. the Mann–Whitney U statistic divided by n₊·n₋. NaN when a class is empty.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositive = 0;
        long positives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1; // average 1-based rank of the tie group
            for (int k = i; k <= j; k++)
                if (labels[order[k]]) { rankSumPositive += rank; positives++; }
            i = j + 1;
        }
        long negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Fraction of equal pairs.</summary>
    public static double Accuracy(IReadOnlyList<string> predicted, IReadOnlyList<string> truth) =>
        truth.Count == 0 ? double.NaN : predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Count;
}
