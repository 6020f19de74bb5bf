using System.Diagnostics;
using EdgeCancer.Tools.DictionaryGenerator;

// Generates src/Dicom/Core/Generated/*.g.cs from the PS3.6 tables that Debian ships with DCMTK and pydicom.
// Usage: dotnet run --project tools/DictionaryGenerator [-- --dcmtk DIR] [--pydicom DIR] [--out DIR]

string dcmtkDir = "/usr/share/libdcmtk17";
string pydicomDir = "/usr/lib/python3/dist-packages/pydicom";
string? outDir = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--dcmtk": dcmtkDir = Next(); break;
        case "--pydicom": pydicomDir = Next(); break;
        case "--out": outDir = Next(); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: DictionaryGenerator [--dcmtk DIR] [--pydicom DIR] [--out DIR]");
            return 2;
    }
}
outDir ??= Path.Combine(FindRepositoryRoot(), "src", "Dicom", "Core", "Generated");

string dicomDic = Path.Combine(dcmtkDir, "dicom.dic");
string privateDic = Path.Combine(dcmtkDir, "private.dic");
string pyElements = Path.Combine(pydicomDir, "_dicom_dict.py");
string pyUids = Path.Combine(pydicomDir, "_uid_dict.py");
string pyVersion = Path.Combine(pydicomDir, "_version.py");
foreach (var p in new[] { dicomDic, privateDic, pyElements, pyUids, pyVersion })
{
    if (!File.Exists(p))
    {
        Console.Error.WriteLine($"Missing source file {p}. Install the Debian packages libdcmtk17 and python3-pydicom, or pass --dcmtk/--pydicom.");
        return 1;
    }
}

var (pyVer, pyEdition) = PydicomReader.ReadVersion(pyVersion);
string dcmtkPackage = DebianVersion("libdcmtk17");
string pydicomPackage = DebianVersion("python3-pydicom");
var pydicomNote = (string file) => new SourceNote(file, $"pydicom {pyVer} ({pydicomPackage}), tables generated from DICOM {pyEdition}");
var dicomDicNote = new SourceNote(dicomDic, $"{DcmtkReader.ReadEdition(dicomDic)}; {dcmtkPackage}");
var privateDicNote = new SourceNote(privateDic, $"{DcmtkReader.ReadEdition(privateDic)}; {dcmtkPackage}");

Console.WriteLine("Reading sources…");
var pyRows = PydicomReader.ReadElements(pyElements);
var dcmtkRows = DcmtkReader.ReadStandard(dicomDic);
var elements = ElementMerger.Merge(pyRows, dcmtkRows, Console.Out);
var privateRows = DcmtkReader.ReadPrivate(privateDic);
var uids = PydicomReader.ReadUids(pyUids);
int unnamed = uids.RemoveAll(u => u.Name.Length == 0);
Console.WriteLine($"Private elements: {privateRows.Count}. UIDs: {uids.Count} ({unnamed} unnamed retired rows left out).");

Directory.CreateDirectory(outDir);
SourceNote[] elementSources = [pydicomNote(pyElements), dicomDicNote];
ElementEmitter.WriteTags(elements, elementSources, Path.Combine(outDir, "DicomTags.g.cs"));
ElementEmitter.WriteElementTable(elements, elementSources, Path.Combine(outDir, "DicomDictionary.Elements.g.cs"));
ElementEmitter.WritePrivateTable(privateRows, [privateDicNote], Path.Combine(outDir, "DicomDictionary.Private.g.cs"));
SourceNote[] uidSources = [pydicomNote(pyUids)];
UidEmitter.WriteRegistry(uids, uidSources, Path.Combine(outDir, "DicomUidRegistry.g.cs"));
UidEmitter.WriteConstants(uids, uidSources, Path.Combine(outDir, "DicomUids.g.cs"));
UidEmitter.WriteStorage(uids, uidSources, Path.Combine(outDir, "DicomStorageSopClasses.g.cs"));
return 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "EdgeCancer.sln"))) return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository (no EdgeCancer.sln found above the current directory), or pass --out.");
}

static string DebianVersion(string package)
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo("dpkg-query", ["-W", "-f=${Version}", package])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        });
        if (p is null) return "Debian package version unknown";
        string v = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit(5000);
        return p.ExitCode == 0 && v.Length > 0 ? $"Debian {package} {v}" : "Debian package version unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "Debian package version unknown";
    }
}
