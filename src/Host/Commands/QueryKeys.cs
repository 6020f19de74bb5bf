using System.CommandLine;
using System.Globalization;
using EdgeCancer.Dicom;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// The Query/Retrieve options of find, move and get as findscu spells them: <c>-P</c> / <c>-S</c> (patient or study
/// root information model, PS3.4 C.6.1/C.6.2) and <c>-k KEY=VALUE</c>, where KEY is a keyword or <c>gggg,eeee</c> and
/// an empty value makes a return key (universal matching, PS3.4 C.2.2.2.3).
/// </summary>
public sealed class QueryKeys
{
    public Option<bool> PatientRoot { get; } = new("--patient", "-P") { Description = "Patient Root information model" };
    public Option<bool> StudyRoot { get; } = new("--study", "-S") { Description = "Study Root information model (default)" };
    public Option<string[]> Keys { get; } = new("--key", "-k")
    {
        Description = "KEY=VALUE matching key, KEY= (or KEY) return key; KEY is a keyword (PatientName) or gggg,eeee",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(PatientRoot);
        command.Options.Add(StudyRoot);
        command.Options.Add(Keys);
    }

    /// <summary>The information model named on the command line.</summary>
    public QueryModel Model(ParseResult parse) => parse.GetValue(PatientRoot) ? QueryModel.PatientRoot : QueryModel.StudyRoot;

    /// <summary>Builds the identifier; an unknown key or bad value is returned as a message.</summary>
    public (DicomDataset? Identifier, string? Error) Identifier(ParseResult parse)
    {
        if (parse.GetValue(PatientRoot) && parse.GetValue(StudyRoot)) return (null, "give -P or -S, not both.");
        var ds = new DicomDataset();
        foreach (var key in parse.GetValue(Keys) ?? [])
        {
            int eq = key.IndexOf('=');
            string name = (eq < 0 ? key : key[..eq]).Trim();
            string value = eq < 0 ? "" : key[(eq + 1)..];
            if (!TryParseTag(name, out var tag)) return (null, $"-k {key}: \"{name}\" is neither a DICOM keyword nor gggg,eeee.");
            var vr = DicomDictionary.GetVR(tag);
            if (vr == DicomVR.SQ)
            {
                if (value.Length > 0) return (null, $"-k {key}: {name} is a sequence; only an empty (return) key is supported.");
                ds.AddOrUpdate(new DicomSequence(tag));
                continue;
            }
            try
            {
                if (value.Length == 0) ds.AddOrUpdate(tag, vr, Array.Empty<string>());
                else ds.AddOrUpdate(tag, vr, value.Split('\\'));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or DicomDataException)
            {
                return (null, $"-k {key}: not a valid {vr} value for {name}: {ex.Message}");
            }
        }
        if (!ds.Contains(DicomTags.QueryRetrieveLevel))
            return (null, "no -k QueryRetrieveLevel=PATIENT|STUDY|SERIES|IMAGE given (PS3.4 C.4.1.1.3.1 requires it).");
        return (ds, null);
    }

    /// <summary>Parses a keyword (<c>PatientName</c>) or a tag (<c>0010,0010</c>, <c>(0010,0010)</c>, <c>00100010</c>).</summary>
    public static bool TryParseTag(string text, out DicomTag tag)
    {
        tag = default;
        var t = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", "", StringComparison.Ordinal);
        if (t.Length == 8 && uint.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            tag = new DicomTag((ushort)(value >> 16), (ushort)value);
            return true;
        }
        if (DicomDictionary.FindByKeyword(text.Trim()) is { } entry)
        {
            tag = entry.Tag;
            return true;
        }
        return false;
    }
}

/// <summary>A Query/Retrieve information model and its FIND, MOVE and GET SOP classes (PS3.4 C.6).</summary>
public enum QueryModel { PatientRoot, StudyRoot }

internal static class QueryModelUids
{
    public static string Find(this QueryModel m) => m == QueryModel.PatientRoot ? DicomUids.PatientRootQueryRetrieveInformationModelFind.Value : DicomUids.StudyRootQueryRetrieveInformationModelFind.Value;
    public static string Move(this QueryModel m) => m == QueryModel.PatientRoot ? DicomUids.PatientRootQueryRetrieveInformationModelMove.Value : DicomUids.StudyRootQueryRetrieveInformationModelMove.Value;
    public static string Get(this QueryModel m) => m == QueryModel.PatientRoot ? DicomUids.PatientRootQueryRetrieveInformationModelGet.Value : DicomUids.StudyRootQueryRetrieveInformationModelGet.Value;
}
