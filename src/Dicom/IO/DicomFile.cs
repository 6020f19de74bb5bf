using System.IO.Compression;
using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom.IO;

/// <summary>
/// A DICOM Part 10 file (PS3.10 §7): optional 128-byte preamble and "DICM", File Meta Information (group 0002,
/// Explicit VR Little Endian) and the dataset in the transfer syntax the meta names. Files without preamble or meta
/// are read too, their transfer syntax detected from the first element.
/// </summary>
public sealed class DicomFile
{
    /// <summary>Our Implementation Class UID (PS3.7 D.3.3.2), a 2.25 UUID-derived root.</summary>
    public const string ImplementationClassUid = "2.25.261059652494357616548435492236329924855";

    /// <summary>Our Implementation Version Name (≤ 16 characters).</summary>
    public const string ImplementationVersionName = "EDGECANCER_01";

    /// <summary>Creates a file for <paramref name="dataset"/>; the meta is generated on save if not given.</summary>
    public DicomFile(DicomDataset dataset, DicomDataset? fileMetaInfo = null)
    {
        Dataset = dataset;
        FileMetaInfo = fileMetaInfo ?? new DicomDataset();
    }

    /// <summary>The File Meta Information (group 0002).</summary>
    public DicomDataset FileMetaInfo { get; }

    /// <summary>The dataset.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The 128-byte preamble as read, or null when the file had none.</summary>
    public byte[]? Preamble { get; init; }

    /// <summary>True when the file was read without "DICM" and meta information.</summary>
    public bool HadNoMeta { get; init; }

    /// <summary>The file's path when it was opened from disk.</summary>
    public string? Path { get; init; }

    /// <summary>Offset of the dataset (first element after the meta) in the file.</summary>
    public long DatasetOffset { get; init; }

    /// <summary>True when the read stopped before Pixel Data (header-only read).</summary>
    public bool IsHeaderOnly { get; init; }

    /// <summary>The transfer syntax named by the meta (Implicit VR Little Endian when absent).</summary>
    public DicomTransferSyntax TransferSyntax =>
        FileMetaInfo.TryGetString(DicomTags.TransferSyntaxUID, out var uid) && uid.Length > 0
            ? DicomTransferSyntax.Parse(uid)
            : DicomTransferSyntax.ImplicitVRLittleEndian;

    /// <summary>Opens a file, keeping values over the threshold as references into it.</summary>
    public static DicomFile Open(string path, DicomReaderOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, options, path);
    }

    /// <summary>Reads the meta and the dataset up to, not including, Pixel Data.</summary>
    public static DicomFile OpenHeader(string path, DicomReaderOptions? options = null) =>
        Open(path, (options ?? DicomReaderOptions.Default) with { StopAtTag = DicomTags.PixelData });

    /// <summary>Reads a Part 10 stream (or a bare dataset) from the current position.</summary>
    public static DicomFile Open(Stream stream, DicomReaderOptions? options = null) => Read(stream, options, null);

    private const int HeaderFillBytes = 16 * 1024;

    private static DicomFile Read(Stream stream, DicomReaderOptions? options, string? path)
    {
        options ??= DicomReaderOptions.Default;
        long baseOffset = stream.CanSeek ? stream.Position : 0;
        // Meta is read with no stop tag; the stop tag applies to the dataset only.
        using var reader = new DicomReader(stream, DicomTransferSyntax.ExplicitVRLittleEndian, options with { StopAtTag = null }, path, baseOffset)
        {
            // A header read (stopping at Pixel Data, say) needs a few KiB: the stream is read 16 KiB at a time.
            FillLimit = options.StopAtTag is null ? int.MaxValue : HeaderFillBytes,
        };
        byte[]? preamble = null;
        var head = reader.Peek(132);
        bool hasMagic = false;
        if (head.Length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M')
        {
            preamble = head[..128].ToArray();
            reader.Advance(132);
            hasMagic = true;
        }
        else if (head.Length >= 4 && head[0] == 'D' && head[1] == 'I' && head[2] == 'C' && head[3] == 'M')
        {
            reader.Advance(4);
            hasMagic = true;
        }

        var meta = new DicomDataset();
        var first = reader.Peek(8);
        if (first.Length < 8 && !hasMagic)
            throw new DicomReadException(first.Length == 0 ? "the file is empty" : "the file is too short to hold a DICOM element", reader.Position, null);

        bool metaPresent = first.Length >= 2 && first[0] == 0x02 && first[1] == 0x00;
        DicomTransferSyntax syntax;
        if (metaPresent)
        {
            DicomDatasetBuilder.ReadInto(reader, meta, tag => tag.Group != 0x0002);
            syntax = meta.TryGetString(DicomTags.TransferSyntaxUID, out var uid) && uid.Length > 0
                ? DicomTransferSyntax.Parse(uid)
                : DetectSyntax(reader.Peek(8)) ?? DicomTransferSyntax.ImplicitVRLittleEndian;
        }
        else
        {
            if (hasMagic && first.Length == 0)
                throw new DicomReadException("the file ends after the DICM prefix", reader.Position, null);
            syntax = DetectSyntax(first) ?? throw new DicomReadException("not a DICOM file: no DICM prefix and the data does not start with a DICOM element", reader.Position, null);
        }

        if (syntax.IsDeflated && syntax != DicomTransferSyntax.DeflatedExplicitVRLittleEndian && syntax.Uid.Value != DicomTransferSyntax.JPIPReferencedDeflate.Uid.Value)
            throw new DicomReadException($"unsupported deflated transfer syntax {syntax.Uid}", reader.Position, null);
        long datasetOffset = reader.Position;
        reader.ContinueWith(syntax);
        var dataset = new DicomDataset();
        DicomDatasetBuilder.ReadInto(reader, dataset, options.StopAtTag is { } stop ? tag => tag >= stop : null);
        if (!syntax.IsExplicitVR) DicomDatasetBuilder.ResolveAmbiguousVRs(dataset);
        return new DicomFile(dataset, meta)
        {
            Preamble = preamble,
            HadNoMeta = !metaPresent,
            Path = path,
            DatasetOffset = datasetOffset,
            IsHeaderOnly = reader.StoppedEarly,
        };
    }

    /// <summary>Guesses the transfer syntax of a bare dataset from its first element header.</summary>
    internal static DicomTransferSyntax? DetectSyntax(ReadOnlySpan<byte> first)
    {
        if (first.Length < 8) return null;
        bool explicitVR = DicomVR.TryFromBytes(first[4], first[5], out _);
        ushort groupLE = (ushort)(first[0] | (first[1] << 8));
        ushort groupBE = (ushort)((first[0] << 8) | first[1]);
        bool looksLE = groupLE is >= 0x0002 and <= 0x7FE0 && (groupLE <= 0x0100 || groupLE >= 0x1000);
        bool looksBE = groupBE is >= 0x0002 and <= 0x0100;
        if (looksLE && (!looksBE || groupLE <= groupBE))
            return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
        if (looksBE) return explicitVR ? DicomTransferSyntax.ExplicitVRBigEndian : null;
        return null;
    }

    /// <summary>Fills in the required File Meta Information elements from the dataset (PS3.10 §7.1).</summary>
    public void EnsureFileMetaInfo(DicomTransferSyntax? syntax = null, string? sourceAETitle = null)
    {
        var ts = syntax ?? (FileMetaInfo.Contains(DicomTags.TransferSyntaxUID) ? TransferSyntax : DicomTransferSyntax.ExplicitVRLittleEndian);
        FileMetaInfo.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        if (Dataset.TryGetString(DicomTags.SOPClassUID, out var cls)) FileMetaInfo.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, cls);
        if (Dataset.TryGetString(DicomTags.SOPInstanceUID, out var inst)) FileMetaInfo.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, inst);
        FileMetaInfo.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, ts.Uid.Value);
        FileMetaInfo.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, ImplementationClassUid);
        FileMetaInfo.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, ImplementationVersionName);
        if (sourceAETitle is not null) FileMetaInfo.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, sourceAETitle);
    }

    /// <summary>
    /// Saves to <paramref name="path"/> (written to a temporary file and renamed). When the dataset was opened from
    /// that same file, its file-backed values are re-pointed at the new file so they stay readable after the rename.
    /// </summary>
    public void Save(string path, DicomWriteOptions? options = null)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var fromTarget = FileBackedValues(Dataset).Where(b => System.IO.Path.GetFullPath(b.Buffer.Path) == fullPath).ToList();
        var syntax = FileMetaInfo.Contains(DicomTags.TransferSyntaxUID) ? TransferSyntax : DicomTransferSyntax.ExplicitVRLittleEndian;
        if (fromTarget.Count > 0 && (syntax.IsDeflated || syntax.IsBigEndian))
        {
            // Their bytes will not lie unchanged in the new file, so hold them in memory before it replaces the old one.
            foreach (var v in fromTarget) v.Replace(new MemoryByteBuffer(v.Buffer.Memory));
            fromTarget.Clear();
        }
        var newOffsets = new Dictionary<IByteBuffer, long>(ReferenceEqualityComparer.Instance);
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Save(fs, options, fromTarget.Count > 0 ? (buffer, offset) => newOffsets[buffer] = offset : null);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
        foreach (var v in fromTarget)
            if (newOffsets.TryGetValue(v.Buffer, out var offset)) v.Replace(new FileByteBuffer(path, offset, v.Buffer.Size));
    }

    /// <summary>A file-backed value somewhere in a dataset, with a way to swap its buffer.</summary>
    private readonly record struct FileBackedValue(FileByteBuffer Buffer, Action<IByteBuffer> Replace);

    private static List<FileBackedValue> FileBackedValues(DicomDataset root)
    {
        var found = new List<FileBackedValue>();
        var pending = new Stack<DicomDataset>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var ds = pending.Pop();
            foreach (var item in ds)
            {
                switch (item)
                {
                    case DicomElement { Buffer: FileByteBuffer fb } e:
                        found.Add(new FileBackedValue(fb, b => ds.AddOrUpdate(new DicomElement(e.Tag, e.VR, b))));
                        break;
                    case DicomSequence sq:
                        foreach (var child in sq.Items) pending.Push(child);
                        break;
                    case DicomFragmentSequence f:
                        if (f.OffsetTable is FileByteBuffer table) found.Add(new FileBackedValue(table, b => f.OffsetTable = b));
                        for (int i = 0; i < f.Fragments.Count; i++)
                        {
                            int index = i;
                            if (f.Fragments[i] is FileByteBuffer frag) found.Add(new FileBackedValue(frag, b => f.Fragments[index] = b));
                        }
                        break;
                }
            }
        }
        return found;
    }

    /// <summary>Writes the preamble, "DICM", the meta and the dataset to <paramref name="stream"/>.</summary>
    public void Save(Stream stream, DicomWriteOptions? options = null) => Save(stream, options, null);

    private void Save(Stream stream, DicomWriteOptions? options, Action<IByteBuffer, long>? valueWritten)
    {
        if (!FileMetaInfo.Contains(DicomTags.TransferSyntaxUID) || !FileMetaInfo.Contains(DicomTags.MediaStorageSOPInstanceUID))
            EnsureFileMetaInfo();
        var syntax = TransferSyntax;
        if (syntax.IsEncapsulated && Dataset.GetItem(DicomTags.PixelData) is DicomElement)
            throw new InvalidOperationException($"The dataset has native Pixel Data but the meta names encapsulated {syntax.Name}; transcoding is not done on save.");
        if (!syntax.IsEncapsulated && Dataset.GetItem(DicomTags.PixelData) is DicomFragmentSequence)
            throw new InvalidOperationException($"The dataset has encapsulated Pixel Data but the meta names native {syntax.Name}.");

        var buffered = stream is BufferedStream or MemoryStream ? stream : new BufferedStream(stream, 1 << 16);
        buffered.Write(Preamble ?? new byte[128]);
        buffered.Write("DICM"u8);
        WriteMeta(buffered, options);
        if (syntax.IsDeflated)
        {
            using (var deflate = new DeflateStream(buffered, options?.DeflateLevel ?? CompressionLevel.Optimal, leaveOpen: true))
            using (var b = new BufferedStream(deflate, 1 << 16))
            {
                new DicomWriter(b, syntax, options).Write(Dataset);
            }
        }
        else if (valueWritten is not null)
        {
            long datasetStart = 128 + 4 + MeasureMeta(options);
            new DicomWriter(buffered, syntax, options, datasetStart, valueWritten).Write(Dataset);
        }
        else
        {
            new DicomWriter(buffered, syntax, options).Write(Dataset);
        }
        buffered.Flush();
    }

    /// <summary>Saves asynchronously (the encoding runs on a buffered stream; I/O is awaited).</summary>
    public async Task SaveAsync(Stream stream, DicomWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ms = new MemoryStream();
        Save(ms, options);
        ms.Position = 0;
        await ms.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private long MeasureMeta(DicomWriteOptions? options)
    {
        var counter = new MemoryStream();
        WriteMeta(counter, options);
        return counter.Length;
    }

    private void WriteMeta(Stream stream, DicomWriteOptions? options)
    {
        var meta = new DicomDataset(FileMetaInfo.Where(i => i.Tag != DicomTags.FileMetaInformationGroupLength));
        var writer = new DicomWriter(stream, DicomTransferSyntax.ExplicitVRLittleEndian, options);
        long length = writer.Measure(meta);
        var withLength = new DicomDataset(meta);
        withLength.AddOrUpdate(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, (uint)length);
        writer.Write(withLength);
    }

    /// <summary>Writes a bare dataset (no preamble, no meta) in <paramref name="syntax"/>, e.g. for DIMSE.</summary>
    public static void WriteDataset(Stream stream, DicomDataset dataset, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        if (syntax.IsDeflated)
        {
            using var deflate = new DeflateStream(stream, options?.DeflateLevel ?? CompressionLevel.Optimal, leaveOpen: true);
            new DicomWriter(deflate, syntax, options).Write(dataset);
            return;
        }
        new DicomWriter(stream, syntax, options).Write(dataset);
    }

    /// <summary>Reads a bare dataset in a known transfer syntax (e.g. a DIMSE data set).</summary>
    public static DicomDataset ReadDataset(Stream stream, DicomTransferSyntax syntax, DicomReaderOptions? options = null, string? path = null, long baseOffset = 0)
    {
        Stream source = syntax.IsDeflated ? new DeflateStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
        using var reader = new DicomReader(source, syntax, options, syntax.IsDeflated ? null : path, baseOffset);
        var ds = DicomDatasetBuilder.ReadInto(reader, new DicomDataset(), options?.StopAtTag is { } stop ? tag => tag >= stop : null);
        if (!syntax.IsExplicitVR) DicomDatasetBuilder.ResolveAmbiguousVRs(ds);
        return ds;
    }

    internal static IByteBuffer Empty => MemoryByteBuffer.Empty;
}
