using System.Globalization;
using System.Text;

namespace EdgeCancer.Inference.Explain;

/// <summary>
/// Heatmaps on disk, one 8-bit binary PGM (Netpbm P5) per <see cref="HeatmapKey"/>:
/// <c>&lt;root&gt;/&lt;SOP Instance UID&gt;/&lt;model&gt;@&lt;version&gt;-&lt;sha256 prefix&gt;.pgm</c>, scaled as
/// <see cref="Heatmap.ToBytes"/> does, with the label and base probability in a header comment. Written to a temporary
/// file and renamed, so a reader never sees half a map.
/// </summary>
public sealed class HeatmapStore(string root)
{
    /// <summary>The folder holding the heatmaps.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Where the heatmap of <paramref name="key"/> is (or would be) stored.</summary>
    public string PathOf(HeatmapKey key)
    {
        string sha = key.Sha256.Length >= 12 ? key.Sha256[..12] : key.Sha256;
        return Path.Combine(Root, Safe(key.SopInstanceUid), Safe($"{key.Model}@{key.Version}-{sha}") + ".pgm");
    }

    /// <summary>True when the heatmap of <paramref name="key"/> is on disk.</summary>
    public bool Exists(HeatmapKey key) => File.Exists(PathOf(key));

    /// <summary>Writes <paramref name="map"/> under <paramref name="key"/>; returns the path.</summary>
    public string Save(HeatmapKey key, Heatmap map)
    {
        string path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + $".{Guid.NewGuid():N}.tmp";
        var header = string.Create(CultureInfo.InvariantCulture,
            $"P5\n# edgecancer occlusion heatmap model={map.Model} version={map.Version} label={map.Label} p={map.BaseProbability:0.0000} grid={map.GridRows}x{map.GridColumns}\n{map.Columns} {map.Rows}\n255\n");
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            fs.Write(Encoding.ASCII.GetBytes(header));
            fs.Write(map.ToBytes());
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The stored map's pixels (Rows × Columns bytes) and size, or null when it is not stored.</summary>
    public (int Rows, int Columns, byte[] Pixels)? TryLoad(HeatmapKey key)
    {
        string path = PathOf(key);
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        int pos = 0;
        var fields = new List<string>();
        while (fields.Count < 4 && pos < bytes.Length)
        {
            if (bytes[pos] == (byte)'#') { while (pos < bytes.Length && bytes[pos] != (byte)'\n') pos++; continue; }
            if (char.IsWhiteSpace((char)bytes[pos])) { pos++; continue; }
            int start = pos;
            while (pos < bytes.Length && !char.IsWhiteSpace((char)bytes[pos])) pos++;
            fields.Add(Encoding.ASCII.GetString(bytes, start, pos - start));
        }
        pos++; // the single whitespace after maxval
        if (fields.Count < 4 || fields[0] != "P5" || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out int columns) ||
            !int.TryParse(fields[2], CultureInfo.InvariantCulture, out int rows) || bytes.Length - pos != rows * columns)
            throw new InvalidDataException($"{path} is not an 8-bit binary PGM heatmap.");
        return (rows, columns, bytes[pos..]);
    }

    private static string Safe(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_');
        return sb.ToString();
    }
}
