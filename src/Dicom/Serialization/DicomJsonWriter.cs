using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeCancer.Dicom.Serialization;

/// <summary>Writes the DICOM JSON Model (PS3.18 Annex F.2): attributes keyed by 8-hex-digit tags with "vr" and "Value"/"InlineBinary".</summary>
public static class DicomJsonWriter
{
    /// <summary>Serializes <paramref name="dataset"/> to a JSON string.</summary>
    public static string Write(DicomDataset dataset, bool indented = false)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(w, dataset);
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes <paramref name="dataset"/> as a JSON object.</summary>
    public static void Write(Utf8JsonWriter w, DicomDataset dataset)
    {
        w.WriteStartObject();
        foreach (var item in dataset)
        {
            // F.2.1: group length elements are not included.
            if (item.Tag.Element == 0) continue;
            w.WritePropertyName($"{item.Tag.Group:X4}{item.Tag.Element:X4}");
            w.WriteStartObject();
            w.WriteString("vr", item.VR.Code);
            switch (item)
            {
                case DicomSequence sq:
                    if (sq.Items.Count > 0)
                    {
                        w.WriteStartArray("Value");
                        foreach (var child in sq.Items) Write(w, child);
                        w.WriteEndArray();
                    }
                    break;
                case DicomFragmentSequence f:
                    // F.2.7: encapsulated data as InlineBinary of the fragments' concatenation is not defined; give the first fragment count via BulkData-less form.
                    var all = new MemoryStream();
                    foreach (var frag in f.Fragments) frag.WriteTo(all);
                    w.WriteString("InlineBinary", Convert.ToBase64String(all.GetBuffer(), 0, (int)all.Length));
                    break;
                case DicomElement e:
                    WriteValue(w, e, dataset);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, DicomElement e, DicomDataset ds)
    {
        if (e.Length == 0) return;
        var vr = e.VR;
        var cs = ds.CharacterSet;
        if (vr.Kind == DicomVRKind.Bulk)
        {
            w.WriteString("InlineBinary", Convert.ToBase64String(e.Buffer.Memory.Span));
            return;
        }
        w.WriteStartArray("Value");
        if (vr == DicomVR.PN)
        {
            foreach (var s in DicomValueCodec.Decode<string>(e, cs))
            {
                if (s.Length == 0) { w.WriteNullValue(); continue; }
                var groups = s.Split('=');
                w.WriteStartObject();
                string[] names = ["Alphabetic", "Ideographic", "Phonetic"];
                for (int i = 0; i < groups.Length && i < 3; i++)
                    if (groups[i].Length > 0) w.WriteString(names[i], groups[i]);
                w.WriteEndObject();
            }
        }
        else if (vr == DicomVR.AT)
        {
            foreach (var t in DicomValueCodec.Decode<DicomTag>(e, cs)) w.WriteStringValue($"{t.Group:X4}{t.Element:X4}");
        }
        else if (vr == DicomVR.DS || vr == DicomVR.IS)
        {
            foreach (var s in DicomValueCodec.Decode<string>(e, cs))
            {
                if (s.Length == 0) w.WriteNullValue();
                else if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) w.WriteNumberValue(d);
                else w.WriteStringValue(s);
            }
        }
        else if (vr.IsString)
        {
            foreach (var s in DicomValueCodec.Decode<string>(e, cs))
                if (s.Length == 0) w.WriteNullValue(); else w.WriteStringValue(s);
        }
        else if (vr == DicomVR.FL)
        {
            // Written as the float itself (shortest round-trip form), not as the widened double (0.1f is "0.1").
            foreach (var f in DicomValueCodec.Decode<float>(e, cs))
                if (float.IsFinite(f)) w.WriteNumberValue(f); else w.WriteStringValue(f.ToString(CultureInfo.InvariantCulture));
        }
        else if (vr == DicomVR.FD)
        {
            foreach (var d in DicomValueCodec.Decode<double>(e, cs))
                if (double.IsFinite(d)) w.WriteNumberValue(d); else w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
        }
        else if (vr == DicomVR.SV)
        {
            foreach (var d in DicomValueCodec.Decode<long>(e, cs)) w.WriteNumberValue(d);
        }
        else if (vr == DicomVR.UV)
        {
            foreach (var d in DicomValueCodec.Decode<ulong>(e, cs)) w.WriteNumberValue(d);
        }
        else
        {
            foreach (var d in DicomValueCodec.Decode<long>(e, cs)) w.WriteNumberValue(d);
        }
        w.WriteEndArray();
    }
}
