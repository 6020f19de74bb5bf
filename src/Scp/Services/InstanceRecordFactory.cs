using EdgeCancer.Dicom;
using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Services;

/// <summary>Extracts the indexed attributes of an instance from its dataset (header only).</summary>
public static class InstanceRecordFactory
{
    /// <summary>Builds the index row for <paramref name="dataset"/> stored at <paramref name="relativePath"/>.</summary>
    public static InstanceRecord Create(DicomDataset dataset, string transferSyntaxUid, string relativePath, long fileSize)
    {
        string? S(DicomTag tag) => dataset.TryGetString(tag, out var v) && v.Length > 0 ? v : null;
        int? I(DicomTag tag) => dataset.TryGetSingleValue<int>(tag, out var v) ? v : null;
        string? code = null, scheme = null, meaning = null;
        if (dataset.TryGetSequence(DicomTags.ConceptNameCodeSequence, out var cn) && cn.Items.Count > 0)
        {
            var item = cn.Items[0];
            code = item.TryGetString(DicomTags.CodeValue, out var c) ? c : null;
            scheme = item.TryGetString(DicomTags.CodingSchemeDesignator, out var s) ? s : null;
            meaning = item.TryGetString(DicomTags.CodeMeaning, out var m) ? m : null;
        }
        return new InstanceRecord
        {
            PatientId = S(DicomTags.PatientID),
            PatientName = S(DicomTags.PatientName),
            PatientBirthDate = S(DicomTags.PatientBirthDate),
            PatientSex = S(DicomTags.PatientSex),
            IssuerOfPatientId = S(DicomTags.IssuerOfPatientID),
            StudyInstanceUid = S(DicomTags.StudyInstanceUID)!,
            StudyDate = S(DicomTags.StudyDate),
            StudyTime = S(DicomTags.StudyTime),
            AccessionNumber = S(DicomTags.AccessionNumber),
            StudyId = S(DicomTags.StudyID),
            StudyDescription = S(DicomTags.StudyDescription),
            ReferringPhysicianName = S(DicomTags.ReferringPhysicianName),
            SeriesInstanceUid = S(DicomTags.SeriesInstanceUID)!,
            Modality = S(DicomTags.Modality),
            SeriesNumber = I(DicomTags.SeriesNumber),
            SeriesDescription = S(DicomTags.SeriesDescription),
            BodyPartExamined = S(DicomTags.BodyPartExamined),
            Manufacturer = S(DicomTags.Manufacturer),
            ManufacturerModelName = S(DicomTags.ManufacturerModelName),
            SeriesDate = S(DicomTags.SeriesDate),
            SeriesTime = S(DicomTags.SeriesTime),
            SopInstanceUid = S(DicomTags.SOPInstanceUID)!,
            SopClassUid = S(DicomTags.SOPClassUID)!,
            InstanceNumber = I(DicomTags.InstanceNumber),
            TransferSyntaxUid = transferSyntaxUid,
            ContentDate = S(DicomTags.ContentDate),
            ContentTime = S(DicomTags.ContentTime),
            CompletionFlag = S(DicomTags.CompletionFlag),
            VerificationFlag = S(DicomTags.VerificationFlag),
            PreliminaryFlag = S(DicomTags.PreliminaryFlag),
            ConceptNameCodeValue = code,
            ConceptNameCodingSchemeDesignator = scheme,
            ConceptNameCodeMeaning = meaning,
            ImageType = S(DicomTags.ImageType),
            Rows = I(DicomTags.Rows),
            Columns = I(DicomTags.Columns),
            NumberOfFrames = I(DicomTags.NumberOfFrames),
            FilePath = relativePath,
            FileSize = fileSize,
            SpecificCharacterSet = S(DicomTags.SpecificCharacterSet),
        };
    }
}
