using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;

namespace EdgeCancer.Dicom.Tests.Dictionary;

/// <summary>
/// Logs how long the first dictionary use costs. EdgeCancer.Dicom is loaded afresh into a collectible load context so
/// that type initialisation and JIT are cold however the other tests ran. Logged, not asserted: timing depends on the machine.
/// </summary>
[TestFixture, Category("Dictionary")]
public class DictionaryLoadTimeTests
{
    [Test]
    public void Logs_the_cold_first_lookup_time()
    {
        var context = new AssemblyLoadContext("cold-dictionary", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(typeof(DicomDictionary).Assembly.Location);
            var tagType = assembly.GetType("EdgeCancer.Dicom.DicomTag", throwOnError: true)!;
            var patientName = Activator.CreateInstance(tagType, 0x00100010u)!;

            var sw = Stopwatch.StartNew();
            var entry = assembly.GetType("EdgeCancer.Dicom.DicomDictionary", true)!.GetMethod("Find")!.Invoke(null, [patientName]);
            double firstFind = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            var overlay = Activator.CreateInstance(tagType, 0x60023000u)!;
            assembly.GetType("EdgeCancer.Dicom.DicomDictionary", true)!.GetMethod("Find")!.Invoke(null, [overlay]);
            double secondFind = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            var tagsField = assembly.GetType("EdgeCancer.Dicom.DicomTags", true)!.GetField("PatientName")!.GetValue(null);
            double tagsInit = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            var uid = assembly.GetType("EdgeCancer.Dicom.DicomUidRegistry", true)!.GetMethod("Find")!.Invoke(null, ["1.2.840.10008.5.1.4.1.1.2"]);
            double uidFind = sw.Elapsed.TotalMilliseconds;

            Assert.That(entry?.ToString(), Does.Contain("PatientName"));
            Assert.That(tagsField, Is.EqualTo(patientName));
            Assert.That(uid?.ToString(), Does.Contain("CT Image Storage"));
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Cold first DicomDictionary.Find: {firstFind:F1} ms; next Find (masked): {secondFind:F3} ms; DicomTags type init: {tagsInit:F1} ms; first DicomUidRegistry.Find: {uidFind:F1} ms."));
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void Logs_the_warm_parse_time_of_the_element_table()
    {
        DicomDictionary.ParseElementCount(); // JIT the parser
        var sw = Stopwatch.StartNew();
        int count = DicomDictionary.ParseElementCount();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Parsed {count} entries in {sw.Elapsed.TotalMilliseconds:F1} ms (JIT warm)."));
        Assert.That(count, Is.GreaterThanOrEqualTo(4900));
    }
}
