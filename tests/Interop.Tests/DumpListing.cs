using System.Text.RegularExpressions;

namespace EdgeCancer.Interop.Tests;

/// <summary>One element line of a dcmdump-style listing: nesting depth, tag, VR and value text.</summary>
internal sealed record DumpLine(int Depth, string Tag, string VR, string Value, string Length)
{
    public override string ToString() => $"{new string(' ', Depth * 2)}({Tag}) {VR} {Value} #{Length}";
}

/// <summary>Parses dcmdump's text output (and ours, which follows the same layout) into element lines.</summary>
internal static partial class DumpListing
{
    [GeneratedRegex(@"^(?<indent> *)\((?<tag>[0-9a-fA-F]{4},[0-9a-fA-F]{4})\) (?<vr>\S\S) (?<value>.*?) *# *(?<len>u/l|\d+), *\d+ [^#]*$")]
    private static partial Regex LineRegex();

    public static List<DumpLine> Parse(string text)
    {
        var lines = new List<DumpLine>();
        foreach (var raw in text.Split('\n'))
        {
            var m = LineRegex().Match(raw.TrimEnd('\r'));
            if (!m.Success) continue;
            var vr = m.Groups["vr"].Value;
            // Item and delimiter lines ("na") carry no value; their encoding (explicit/undefined) may differ.
            if (vr == "na") continue;
            lines.Add(new DumpLine(m.Groups["indent"].Length / 2, m.Groups["tag"].Value.ToLowerInvariant(), vr, m.Groups["value"].Value, m.Groups["len"].Value));
        }
        return lines;
    }
}
