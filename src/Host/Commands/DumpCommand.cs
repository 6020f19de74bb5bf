using System.CommandLine;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Serialization;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer dump FILE...</c>: prints datasets as dcmdump does, or as DICOM JSON (PS3.18 F.2): one object for
/// one file, an array of objects (one per readable file, in argument order) for several, so the output is always a
/// single JSON document.
/// </summary>
public static class DumpCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "DICOM files to print", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "print the DICOM JSON model (PS3.18 F.2) instead" };
        var uids = new Option<bool>("--uid-numbers", "-Un") { Description = "print UIDs as numbers, not names" };
        var all = new Option<bool>("--print-all", "-L") { Description = "print long values whole" };
        var header = new Option<bool>("--header-only") { Description = "stop before Pixel Data" };
        var cmd = new Command("dump", "Print DICOM files the way dcmdump does") { files, json, uids, all, header };
        cmd.SetAction(parse =>
        {
            int failures = 0;
            var paths = parse.GetValue(files) ?? [];
            bool asJson = parse.GetValue(json);
            bool jsonArray = asJson && paths.Length > 1;
            int written = 0;
            if (jsonArray) Console.Out.Write('[');
            foreach (var path in paths)
            {
                try
                {
                    var file = parse.GetValue(header) ? DicomFile.OpenHeader(path) : DicomFile.Open(path);
                    if (asJson)
                    {
                        string text = DicomJsonWriter.Write(file.Dataset, indented: true);
                        if (jsonArray) Console.Out.Write(written == 0 ? Environment.NewLine : "," + Environment.NewLine);
                        Console.Out.Write(text);
                        if (!jsonArray) Console.Out.WriteLine();
                        written++;
                    }
                    else
                    {
                        if (paths.Length > 1) Console.Out.WriteLine($"# {path}");
                        Console.Out.Write(DicomDumpFormatter.Format(file, new DicomDumpOptions { UidNumbers = parse.GetValue(uids), PrintAll = parse.GetValue(all) }));
                    }
                }
                catch (DicomReadException ex)
                {
                    Console.Error.WriteLine($"edgecancer dump: {path}: not a readable DICOM file: {ex.Message}");
                    failures++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"edgecancer dump: {path}: {ex.Message}");
                    failures++;
                }
            }
            if (jsonArray) Console.Out.WriteLine(Environment.NewLine + "]");
            return failures == 0 ? 0 : 1;
        });
        return cmd;
    }
}
