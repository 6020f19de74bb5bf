using EdgeCancer.Dicom;
using EdgeCancer.Scp.Query;

namespace EdgeCancer.Scp.Services;

/// <summary>Translates C-FIND/C-MOVE/C-GET identifiers to and from the archive's query model (PS3.4 C.4).</summary>
public static class QueryIdentifier
{
    /// <summary>Patient Root / Study Root SOP classes for FIND, MOVE and GET (PS3.4 C.6).</summary>
    public static QueryModel? ModelOf(string? sopClassUid) => sopClassUid switch
    {
        "1.2.840.10008.5.1.4.1.2.1.1" or "1.2.840.10008.5.1.4.1.2.1.2" or "1.2.840.10008.5.1.4.1.2.1.3" => QueryModel.PatientRoot,
        "1.2.840.10008.5.1.4.1.2.2.1" or "1.2.840.10008.5.1.4.1.2.2.2" or "1.2.840.10008.5.1.4.1.2.2.3" => QueryModel.StudyRoot,
        _ => null,
    };

    /// <summary>Parses Query/Retrieve Level (0008,0052); null when missing or unknown.</summary>
    public static QueryLevel? LevelOf(DicomDataset identifier) =>
        identifier.TryGetString(DicomTags.QueryRetrieveLevel, out var level) ? level.Trim().ToUpperInvariant() switch
        {
            "PATIENT" => QueryLevel.Patient,
            "STUDY" => QueryLevel.Study,
            "SERIES" => QueryLevel.Series,
            "IMAGE" => QueryLevel.Image,
            _ => null,
        } : null;

    /// <summary>The keys of an identifier (all elements but the level and character set).</summary>
    public static List<QueryKey> KeysOf(DicomDataset identifier)
    {
        var keys = new List<QueryKey>();
        foreach (var item in identifier)
        {
            if (item.Tag == DicomTags.QueryRetrieveLevel || item.Tag == DicomTags.SpecificCharacterSet || item.Tag.Element == 0) continue;
            switch (item)
            {
                case DicomSequence sq:
                    var itemKeys = sq.Items.Count > 0 ? KeysOf(sq.Items[0]) : [];
                    keys.Add(new QueryKey(sq.Tag, DicomVR.SQ, null, itemKeys));
                    break;
                case DicomElement e:
                    var value = e.VR.IsString ? identifier.GetString(e.Tag) : e.Length == 0 ? "" : string.Join('\\', identifier.GetValues<string>(e.Tag));
                    keys.Add(new QueryKey(e.Tag, e.VR, value));
                    break;
            }
        }
        return keys;
    }

    /// <summary>Builds a response identifier from a match (values as text, VRs from the dictionary).</summary>
    public static DicomDataset ToDataset(FindResult result, QueryLevel level, string? retrieveAE)
    {
        var ds = new DicomDataset();
        if (!string.IsNullOrEmpty(result.SpecificCharacterSet)) ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, result.SpecificCharacterSet.Split('\\'));
        ds.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, level.ToString().ToUpperInvariant());
        if (retrieveAE is not null) ds.AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, retrieveAE);
        Fill(ds, result.Values);
        foreach (var (tag, items) in result.Sequences)
        {
            var sq = new DicomSequence(tag);
            foreach (var values in items)
            {
                var item = new DicomDataset();
                Fill(item, values);
                sq.Items.Add(item);
            }
            ds.AddOrUpdate(sq);
        }
        return ds;
    }

    private static void Fill(DicomDataset ds, IReadOnlyDictionary<DicomTag, string?> values)
    {
        foreach (var (tag, value) in values)
        {
            if (tag == DicomTags.SpecificCharacterSet || tag == DicomTags.QueryRetrieveLevel) continue;
            var vr = DicomDictionary.GetVR(tag);
            if (vr == DicomVR.SQ) continue;
            if (string.IsNullOrEmpty(value)) { ds.AddOrUpdate(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty)); continue; }
            if (vr.IsString) ds.AddOrUpdate(tag, vr, value.Split('\\'));
            else if (vr == DicomVR.US) ds.AddOrUpdate(tag, vr, value.Split('\\').Select(ushort.Parse).ToArray());
            else if (vr == DicomVR.UL) ds.AddOrUpdate(tag, vr, value.Split('\\').Select(uint.Parse).ToArray());
            else ds.AddOrUpdate(tag, DicomVR.LO, value);
        }
    }
}
