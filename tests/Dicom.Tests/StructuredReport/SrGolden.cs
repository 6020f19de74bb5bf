namespace EdgeCancer.Dicom.Tests.StructuredReport;

/// <summary>
/// Golden dsrdump +Pc trees, adapted from SR.md §6 (DCMTK 3.6.7 output of the spec's sample objects): the local
/// scheme is 99EDGECANCER, every TID 4019 block has an extra "sha256=…" Algorithm Parameters row, and UIDs are masked.
/// dsrdump truncates long TEXT values to 30 characters with "...", as in SR.md.
/// </summary>
internal static class SrGolden
{
    public static IReadOnlyList<string> Lines(string text) =>
        text.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    public const string DeviceHead = """
        <CONTAINER:(126000,DCM,"Imaging Measurement Report")=SEPARATE>
          <has concept mod CODE:(121049,DCM,"Language of Content Item and Descendants")=(en-US,RFC5646,"English (United States)")>
          <has obs context CODE:(121005,DCM,"Observer Type")=(121007,DCM,"Device")>
          <has obs context UIDREF:(121012,DCM,"Device Observer UID")="<uid>">
          <has obs context TEXT:(121013,DCM,"Device Observer Name")="CTAI-Node">
          <has obs context TEXT:(121014,DCM,"Device Observer Manufacturer")="Example AI Vendor">
          <has obs context TEXT:(121015,DCM,"Device Observer Model Name")="CT Chest Triage">
          <has obs context TEXT:(121016,DCM,"Device Observer Serial Number")="SN-0001">
          <has concept mod CODE:(121058,DCM,"Procedure reported")=(25045-6,LN,"CT unspecified body region")>
        """;

    public const string OneImageLibrary = """
          <contains CONTAINER:(111028,DCM,"Image Library")=SEPARATE>
            <contains CONTAINER:(126200,DCM,"Image Library Group")=SEPARATE>
              <has acq context CODE:(121139,DCM,"Modality")=(CT,DCM,"Computed Tomography")>
              <contains IMAGE:=(CT image,)>
        """;

    /// <summary>SR.md §6.1.</summary>
    public const string PerImageMeasurements = """
          <contains CONTAINER:(126010,DCM,"Imaging Measurements")=SEPARATE>
            <contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>
              <has obs context TEXT:(112039,DCM,"Tracking Identifier")="Body part classification">
              <has obs context UIDREF:(112040,DCM,"Tracking Unique Identifier")="<uid>">
              <has concept mod TEXT:(111001,DCM,"Algorithm Name")="BodyPartClassifier">
              <has concept mod TEXT:(111003,DCM,"Algorithm Version")="2.3.0">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="threshold=0.50">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="sha256=3f9a4c1de0b2a7c6f1e8...">
              <has concept mod CODE:(111000,DCM,"Algorithm Family")=(123110,DCM,"Artificial Intelligence")>
              <contains IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
              <contains CODE:(123014,DCM,"Target Region")=(816094009,SCT,"Chest")>
              <contains NUM:(122157,DCM,"Probability")="97.2" (%,UCUM,"Percent")>
                <has concept mod CODE:(123014,DCM,"Target Region")=(816094009,SCT,"Chest")>
            <contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>
              <has obs context TEXT:(112039,DCM,"Tracking Identifier")="Malignancy suspicion">
              <has obs context UIDREF:(112040,DCM,"Tracking Unique Identifier")="<uid>">
              <has concept mod TEXT:(111001,DCM,"Algorithm Name")="MalignancyClassifier">
              <has concept mod TEXT:(111003,DCM,"Algorithm Version")="1.4.1">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="operating_threshold=0.35">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="sha256=0123456789abcdef0123...">
              <has concept mod CODE:(111000,DCM,"Algorithm Family")=(123110,DCM,"Artificial Intelligence")>
              <contains IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
              <contains CODE:(MALSUSP,99EDGECANCER,"Suspicious for malignancy")=(373066001,SCT,"Yes")>
              <contains NUM:(111047,DCM,"Probability of cancer")="83.1" (%,UCUM,"Percent")>
        """;

    /// <summary>SR.md §6.1, last paragraph: the malignancy group of a non-chest image.</summary>
    public const string NotAttemptedMalignancyTail = """
              <contains IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
              <contains NUM:(111047,DCM,"Probability of cancer")=empty (114007,DCM,"Measurement not attempted")>
        """;

    /// <summary>SR.md §6.2 (the image library here holds three images).</summary>
    public const string SummaryBody = """
          <contains CONTAINER:(111028,DCM,"Image Library")=SEPARATE>
            <contains CONTAINER:(126200,DCM,"Image Library Group")=SEPARATE>
              <has acq context CODE:(121139,DCM,"Modality")=(CT,DCM,"Computed Tomography")>
              <contains IMAGE:=(CT image,)>
              <contains IMAGE:=(CT image,)>
              <contains IMAGE:=(CT image,)>
          <contains CONTAINER:(126010,DCM,"Imaging Measurements")=SEPARATE>
            <contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>
              <has obs context TEXT:(112039,DCM,"Tracking Identifier")="Series body part classifica...">
              <has obs context UIDREF:(112040,DCM,"Tracking Unique Identifier")="<uid>">
              <has concept mod TEXT:(111001,DCM,"Algorithm Name")="BodyPartClassifier">
              <has concept mod TEXT:(111003,DCM,"Algorithm Version")="2.3.0">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="aggregation=mean over 3 images">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="threshold=0.50">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="sha256=3f9a4c1de0b2a7c6f1e8...">
              <has concept mod CODE:(111000,DCM,"Algorithm Family")=(123110,DCM,"Artificial Intelligence")>
              <contains CODE:(123014,DCM,"Target Region")=(816094009,SCT,"Chest")>
              <contains NUM:(122157,DCM,"Probability")="97.2" (%,UCUM,"Percent")>
                <has concept mod CODE:(123014,DCM,"Target Region")=(816094009,SCT,"Chest")>
                <has concept mod CODE:(121401,DCM,"Derivation")=(373098007,SCT,"Mean")>
            <contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>
              <has obs context TEXT:(112039,DCM,"Tracking Identifier")="Series malignancy suspicion">
              <has obs context UIDREF:(112040,DCM,"Tracking Unique Identifier")="<uid>">
              <has concept mod TEXT:(111001,DCM,"Algorithm Name")="MalignancyClassifier">
              <has concept mod TEXT:(111003,DCM,"Algorithm Version")="1.4.1">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="aggregation=max over 3 images">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="operating_threshold=0.35">
              <has concept mod TEXT:(111002,DCM,"Algorithm Parameters")="sha256=0123456789abcdef0123...">
              <has concept mod CODE:(111000,DCM,"Algorithm Family")=(123110,DCM,"Artificial Intelligence")>
              <contains CODE:(MALSUSP,99EDGECANCER,"Suspicious for malignancy")=(373066001,SCT,"Yes")>
              <contains NUM:(111047,DCM,"Probability of cancer")="83.1" (%,UCUM,"Percent")>
                <has concept mod CODE:(121401,DCM,"Derivation")=(56851009,SCT,"Maximum")>
                <inferred from IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
          <contains CONTAINER:(C0034375,UMLS,"Qualitative Evaluations")=SEPARATE>
            <contains TEXT:(121073,DCM,"Impression")="AI: series classified as ch...">
        """;

    /// <summary>SR.md §6.3, plus the corrected malignancy decision.</summary>
    public const string Correction = """
        <CONTAINER:(126000,DCM,"Imaging Measurement Report")=SEPARATE>
          <has concept mod CODE:(121049,DCM,"Language of Content Item and Descendants")=(en-US,RFC5646,"English (United States)")>
          <has obs context CODE:(121005,DCM,"Observer Type")=(121006,DCM,"Person")>
          <has obs context PNAME:(121008,DCM,"Person Observer Name")="Doe^Jane^^Dr.">
          <has obs context TEXT:(121009,DCM,"Person Observer's Organization Name")="Example Hospital Radiology">
          <has concept mod CODE:(121058,DCM,"Procedure reported")=(25045-6,LN,"CT unspecified body region")>
          <contains CONTAINER:(111028,DCM,"Image Library")=SEPARATE>
            <contains CONTAINER:(126200,DCM,"Image Library Group")=SEPARATE>
              <has acq context CODE:(121139,DCM,"Modality")=(CT,DCM,"Computed Tomography")>
              <contains IMAGE:=(CT image,)>
          <contains CONTAINER:(126010,DCM,"Imaging Measurements")=SEPARATE>
            <contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>
              <has obs context TEXT:(112039,DCM,"Tracking Identifier")="Body part classification">
              <has obs context UIDREF:(112040,DCM,"Tracking Unique Identifier")="<uid>">
              <contains IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
              <contains CODE:(123014,DCM,"Target Region")=(818981001,SCT,"Abdomen")>
            <contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>
              <has obs context TEXT:(112039,DCM,"Tracking Identifier")="Malignancy suspicion">
              <has obs context UIDREF:(112040,DCM,"Tracking Unique Identifier")="<uid>">
              <contains IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
              <contains CODE:(MALSUSP,99EDGECANCER,"Suspicious for malignancy")=(373067005,SCT,"No")>
        """;
}
