using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom.IO;

/// <summary>Builds a <see cref="DicomDataset"/> from a <see cref="DicomReader"/>'s tokens, without recursion (any nesting the reader allows).</summary>
public static class DicomDatasetBuilder
{
    /// <summary>Reads tokens until the end of the dataset (or the reader's stop condition) into <paramref name="target"/>.</summary>
    public static DicomDataset ReadInto(DicomReader reader, DicomDataset target, Func<DicomTag, bool>? stopBefore = null)
    {
        var datasets = new Stack<DicomDataset>();
        var sequences = new Stack<DicomSequence>();
        var current = target;
        IByteBuffer? offsetTable = null;
        List<IByteBuffer>? fragments = null;
        DicomVR fragmentsVR = DicomVR.OB;

        while (reader.Read(stopBefore))
        {
            switch (reader.Token)
            {
                case DicomReaderToken.Element:
                    current.AddSorted(new DicomElement(reader.Tag, reader.VR, reader.GetValue()));
                    break;
                case DicomReaderToken.SequenceStart:
                    var sq = new DicomSequence(reader.Tag) { HadUndefinedLength = reader.IsUndefinedLength };
                    current.AddSorted(sq);
                    sequences.Push(sq);
                    break;
                case DicomReaderToken.ItemStart:
                    var item = new DicomDataset { Parent = current, Warning = target.Warning };
                    sequences.Peek().Items.Add(item);
                    datasets.Push(current);
                    current = item;
                    break;
                case DicomReaderToken.ItemEnd:
                    current = datasets.Pop();
                    break;
                case DicomReaderToken.SequenceEnd:
                    sequences.Pop();
                    break;
                case DicomReaderToken.FragmentsStart:
                    offsetTable = null;
                    fragments = [];
                    fragmentsVR = reader.VR;
                    break;
                case DicomReaderToken.Fragment:
                    var value = reader.GetValue();
                    if (offsetTable is null) offsetTable = value; else fragments!.Add(value);
                    break;
                case DicomReaderToken.FragmentsEnd:
                    current.AddSorted(new DicomFragmentSequence(reader.Tag, fragmentsVR, offsetTable ?? MemoryByteBuffer.Empty, fragments ?? []));
                    fragments = null;
                    offsetTable = null;
                    break;
            }
        }
        if (datasets.Count != 0 || sequences.Count != 0)
            throw new DicomReadException("the data ends inside a sequence", reader.Position, sequences.Count > 0 ? sequences.Peek().Tag : null);
        return target;
    }

    /// <summary>
    /// Gives elements whose dictionary VR is "US or SS" the VR that Pixel Representation implies, as Implicit VR
    /// readers must (PS3.5 §A.1 note; PS3.6 "US or SS"), in the dataset and in every sequence item, where an item's
    /// own (0028,0103) takes precedence over the one of the dataset that contains it.
    /// </summary>
    public static void ResolveAmbiguousVRs(DicomDataset dataset)
    {
        var pending = new Stack<(DicomDataset Dataset, bool Signed)>();
        pending.Push((dataset, false));
        while (pending.Count > 0)
        {
            var (ds, inherited) = pending.Pop();
            bool signed = ds.TryGetSingleValue<ushort>(DicomTags.PixelRepresentation, out var pr) ? pr == 1 : inherited;
            List<DicomItem>? changes = null;
            foreach (var item in ds)
            {
                if (item is DicomSequence sq)
                {
                    foreach (var child in sq.Items) pending.Push((child, signed));
                    continue;
                }
                if (!signed || item is not DicomElement e || e.VR != DicomVR.US) continue;
                var entry = DicomDictionary.Find(e.Tag);
                // LUT descriptors stay US: their first and third values are always unsigned (PS3.3 C.11.1.1.1).
                if (entry is { ValueRepresentations.Length: > 1 } && entry.ValueRepresentations.Contains(DicomVR.SS) && !entry.ValueRepresentations.Contains(DicomVR.OW)
                    && !entry.Keyword.EndsWith("Descriptor", StringComparison.Ordinal))
                    (changes ??= []).Add(new DicomElement(e.Tag, DicomVR.SS, e.Buffer));
            }
            if (changes is not null) foreach (var c in changes) ds.AddOrUpdate(c);
        }
    }
}
