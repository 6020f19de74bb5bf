using System.Buffers.Binary;

namespace EdgeCancer.Dicom.Imaging;

/// <summary>
/// Which fragments of encapsulated Pixel Data make up each frame (PS3.5 A.4): from the Extended Offset Table
/// (7FE0,0001), else the Basic Offset Table, else one frame = all fragments, one fragment per frame, or fragments
/// grouped at the start marker of each frame's bitstream.
/// </summary>
internal sealed class EncapsulatedFrameIndex
{
    private readonly int[] _firstFragment; // FrameCount + 1 entries; frame k is fragments [_firstFragment[k], _firstFragment[k+1])
    private readonly long[]? _frameLengths;

    private EncapsulatedFrameIndex(int[] firstFragment, long[]? frameLengths)
    {
        _firstFragment = firstFragment;
        _frameLengths = frameLengths;
    }

    public static EncapsulatedFrameIndex Build(DicomFragmentSequence pixelData, DicomDataset dataset, int frameCount, DicomTransferSyntax syntax)
    {
        var fragments = pixelData.Fragments;
        if (fragments.Count == 0) throw new DicomDataException("Pixel Data (7FE0,0010) is encapsulated but holds no fragments.");

        // Offsets in either table count from the first byte of the first fragment's Item tag; each item has an 8-byte header.
        var itemOffsets = new long[fragments.Count];
        for (int i = 1; i < fragments.Count; i++) itemOffsets[i] = itemOffsets[i - 1] + 8 + fragments[i - 1].Size;

        if (dataset.GetItem(DicomTags.ExtendedOffsetTable) is DicomElement eot && eot.Length > 0)
        {
            var offsets = ReadUInt64s(eot, "Extended Offset Table (7FE0,0001)");
            if (offsets.Length != frameCount)
                throw new DicomDataException($"Extended Offset Table (7FE0,0001) has {offsets.Length} entries but Number of Frames is {frameCount}.");
            long[]? lengths = null;
            if (dataset.GetItem(DicomTags.ExtendedOffsetTableLengths) is DicomElement eotl && eotl.Length > 0)
            {
                var raw = ReadUInt64s(eotl, "Extended Offset Table Lengths (7FE0,0002)");
                if (raw.Length != frameCount)
                    throw new DicomDataException($"Extended Offset Table Lengths (7FE0,0002) has {raw.Length} entries but Number of Frames is {frameCount}.");
                lengths = Array.ConvertAll(raw, v => v > long.MaxValue ? long.MaxValue : (long)v);
            }
            return new EncapsulatedFrameIndex(MapOffsets(offsets, itemOffsets, fragments.Count, "Extended Offset Table (7FE0,0001)"), lengths);
        }

        if (pixelData.OffsetTable.Size > 0)
        {
            if (pixelData.OffsetTable.Size % 4 != 0)
                throw new DicomDataException($"the Basic Offset Table of Pixel Data (7FE0,0010) is {pixelData.OffsetTable.Size} bytes, not a multiple of 4.");
            var bot = pixelData.GetBasicOffsets();
            if (bot.Length != frameCount)
                throw new DicomDataException($"the Basic Offset Table of Pixel Data (7FE0,0010) has {bot.Length} entries but Number of Frames (0028,0008) is {frameCount}.");
            return new EncapsulatedFrameIndex(MapOffsets(Array.ConvertAll(bot, v => (ulong)v), itemOffsets, fragments.Count, "the Basic Offset Table of Pixel Data (7FE0,0010)"), null);
        }

        if (frameCount == 1) return new EncapsulatedFrameIndex([0, fragments.Count], null);
        if (fragments.Count == frameCount)
        {
            var one = new int[frameCount + 1];
            for (int i = 0; i <= frameCount; i++) one[i] = i;
            return new EncapsulatedFrameIndex(one, null);
        }

        // No offset table and more fragments than frames: a frame starts at each fragment that begins a bitstream.
        var starts = new List<int>(frameCount + 1);
        Span<byte> head = stackalloc byte[8];
        for (int i = 0; i < fragments.Count; i++)
        {
            if (fragments[i].Size < 8) continue;
            fragments[i].CopyTo(0, head);
            if (StartsFrame(head, syntax)) starts.Add(i);
        }
        if (starts.Count != frameCount || starts[0] != 0)
            throw new DicomDataException(
                $"Pixel Data (7FE0,0010) has {fragments.Count} fragments for {frameCount} frames and no offset table; " +
                $"{starts.Count} fragments start a {syntax.Name} frame, so frames cannot be told apart.");
        starts.Add(fragments.Count);
        return new EncapsulatedFrameIndex([.. starts], null);
    }

    public byte[] Read(DicomFragmentSequence pixelData, int frame)
    {
        int first = _firstFragment[frame], end = _firstFragment[frame + 1];
        long total = 0;
        for (int i = first; i < end; i++) total += pixelData.Fragments[i].Size;
        if (_frameLengths is not null && _frameLengths[frame] < total) total = _frameLengths[frame];
        if (total > Array.MaxLength) throw new DicomDataException($"frame {frame} of Pixel Data (7FE0,0010) is {total} bytes, larger than this toolkit supports.");
        var result = GC.AllocateUninitializedArray<byte>((int)total);
        long at = 0;
        for (int i = first; i < end && at < total; i++)
        {
            var fragment = pixelData.Fragments[i];
            int n = (int)Math.Min(fragment.Size, total - at);
            fragment.CopyTo(0, result.AsSpan((int)at, n));
            at += n;
        }
        return result;
    }

    private static int[] MapOffsets(ulong[] offsets, long[] itemOffsets, int fragmentCount, string table)
    {
        var first = new int[offsets.Length + 1];
        for (int k = 0; k < offsets.Length; k++)
        {
            int index = offsets[k] > long.MaxValue ? -1 : Array.BinarySearch(itemOffsets, (long)offsets[k]);
            if (index < 0)
                throw new DicomDataException($"{table} entry {k} is {offsets[k]}, which is not the start of a fragment item.");
            if (k > 0 && index <= first[k - 1])
                throw new DicomDataException($"{table} entry {k} ({offsets[k]}) does not come after entry {k - 1}; offsets must increase.");
            first[k] = index;
        }
        if (first[0] != 0) throw new DicomDataException($"{table} entry 0 is {offsets[0]}; the first frame must start at offset 0.");
        first[^1] = fragmentCount;
        return first;
    }

    private static ulong[] ReadUInt64s(DicomElement element, string name)
    {
        if (element.Length % 8 != 0) throw new DicomDataException($"{name} is {element.Length} bytes, not a multiple of 8.");
        var bytes = element.Buffer.Memory.Span;
        var values = new ulong[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        return values;
    }

    private static bool StartsFrame(ReadOnlySpan<byte> head, DicomTransferSyntax syntax)
    {
        string uid = syntax.Uid.Value;
        if (uid == DicomTransferSyntax.RLELossless.Uid.Value)
        {
            // PS3.5 G.5: the RLE header holds the number of segments (1–15) and the first segment's offset, 64.
            uint segments = BinaryPrimitives.ReadUInt32LittleEndian(head);
            return segments is >= 1 and <= 15 && BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) == 64;
        }
        // JPEG (ISO 10918) and JPEG-LS (ISO 14495) start with SOI; a JPEG 2000 codestream with SOC+SIZ, a JP2 file with its signature box.
        if (head[0] == 0xFF && head[1] == 0xD8) return true;
        if (head[0] == 0xFF && head[1] == 0x4F && head[2] == 0xFF && head[3] == 0x51) return true;
        return head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]);
    }
}
