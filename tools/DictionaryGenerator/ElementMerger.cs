namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>
/// Merges pydicom's table (PS3.6 names, VR lists as printed, retired flags) with DCMTK's (a later edition): pydicom is the
/// primary; a DCMTK row is added only when no pydicom row covers its tag or keyword.
/// </summary>
internal static class ElementMerger
{
    public static List<ElementRow> Merge(List<ElementRow> primary, List<ElementRow> secondary, TextWriter log)
    {
        var merged = new List<ElementRow>(primary);
        var byKeyword = primary.Where(r => r.Keyword.Length > 0).ToDictionary(r => r.Keyword, StringComparer.Ordinal);
        var exact = primary.Where(r => r.Mask == 0xFFFFFFFF).ToDictionary(r => r.Tag);
        var masked = primary.Where(r => r.Mask != 0xFFFFFFFF).ToList();
        int added = 0, retiredDisagreements = 0, vmDisagreements = 0;
        foreach (var row in secondary)
        {
            ElementRow? match = byKeyword.GetValueOrDefault(row.Keyword);
            match ??= row.Mask == 0xFFFFFFFF ? exact.GetValueOrDefault(row.Tag) : null;
            match ??= masked.FirstOrDefault(m => m.Matches(row.Tag));
            if (match is null)
            {
                log.WriteLine($"  added from DCMTK: {Naming.TagText(row.Tag, row.Mask)} {row.Keyword}");
                merged.Add(row);
                byKeyword[row.Keyword] = row;
                added++;
                continue;
            }
            if (match.Retired != row.Retired)
            {
                retiredDisagreements++;
                log.WriteLine($"  retired flag differs, pydicom kept: {Naming.TagText(match.Tag, match.Mask)} {match.Keyword} pydicom={match.Retired} dcmtk={row.Retired}");
            }
            if (match.Vm != row.Vm) vmDisagreements++;
        }
        log.WriteLine($"Elements: {primary.Count} from pydicom, {added} added from DCMTK, {retiredDisagreements} retired-flag and {vmDisagreements} VM disagreements.");
        merged.Sort((a, b) => a.Tag != b.Tag ? a.Tag.CompareTo(b.Tag) : b.Mask.CompareTo(a.Mask));
        var duplicates = merged.Where(r => r.Keyword.Length > 0).GroupBy(r => r.Keyword).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new InvalidOperationException("Duplicate keywords after merging: " + string.Join(", ", duplicates));
        return merged;
    }
}
