using Dapper;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.StructuredReport.Templates;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Corrections;

/// <summary>The outcome of a correction: the stored row, or a problem for the page.</summary>
public sealed record CorrectionOutcome(CorrectionRecord? Record, int Status, string? Title, string? Detail);

/// <summary>
/// A doctor's correction of an image's AI result: a row in <c>corrections</c> (queued for retraining) and a
/// physician correction SR (COMPLETE / VERIFIED / FINAL, predecessor = the AI per-image SR, person observer = the
/// doctor; SR.md §2.9) stored through the archive like any received instance, so C-FIND finds it.
/// Each correction SR states the physician's whole current view of the image: the field corrected now, plus the
/// latest earlier correction (or the AI's value) of the other field.
/// </summary>
public sealed class CorrectionService(SqlArchiveIndex index, FileStore store, ArchiveWriter writer, AiResultStore results,
    IOptions<ViewerOptions> options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private static CorrectionOutcome Problem(int status, string title, string detail) => new(null, status, title, detail);

    public async Task<CorrectionOutcome> CorrectAsync(string sopInstanceUid, CorrectionRequest request, string userName, string displayName, CancellationToken ct)
    {
        var field = request.Field?.Trim().ToLowerInvariant();
        var label = request.NewLabel?.Trim().ToLowerInvariant();
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (field is not (CorrectionFields.BodyPart or CorrectionFields.Malignancy))
            return Problem(400, "Invalid field", $"field is '{CorrectionFields.BodyPart}' or '{CorrectionFields.Malignancy}'.");
        var allowed = field == CorrectionFields.BodyPart ? CorrectionFields.BodyPartLabels : CorrectionFields.MalignancyLabels;
        if (label is null || !allowed.Contains(label))
            return Problem(400, "Invalid label", $"newLabel for {field} is one of: {string.Join(", ", allowed)}.");
        if (comment is { Length: > 1024 }) return Problem(400, "Comment too long", "A comment has at most 1024 characters.");

        var image = await index.FindInstanceAsync(sopInstanceUid, ct).ConfigureAwait(false);
        if (image is null) return Problem(404, "No such instance", $"The archive has no instance with UID {sopInstanceUid}.");
        var ai = (await results.ForImageAsync(sopInstanceUid, ct).ConfigureAwait(false))
            .LastOrDefault(r => r.Status == AnalysisStatus.Done && r.SrSopInstanceUid is not null);
        if (ai is null) return Problem(409, "Nothing to correct", "This image has no AI result with a report yet; wait for the analysis or pick another image.");
        var aiReport = await index.FindInstanceAsync(ai.SrSopInstanceUid!, ct).ConfigureAwait(false);
        if (aiReport is null) return Problem(409, "AI report missing", $"The AI report {ai.SrSopInstanceUid} of this image is not in the archive.");

        var source = await Task.Run(() => DicomFile.OpenHeader(store.GetFullPath(image.FilePath)).Dataset, ct).ConfigureAwait(false);
        var aiDataset = await Task.Run(() => DicomFile.Open(store.GetFullPath(aiReport.FilePath)).Dataset, ct).ConfigureAwait(false);
        var groups = ReadAiGroups(aiDataset, ai.SrSopInstanceUid!);

        var earlier = await LatestAsync(sopInstanceUid, ct).ConfigureAwait(false);
        string bodyPart = field == CorrectionFields.BodyPart ? label : earlier.GetValueOrDefault(CorrectionFields.BodyPart) ?? ai.BodyPart ?? "other";
        string? malignancy = field == CorrectionFields.Malignancy ? label : earlier.GetValueOrDefault(CorrectionFields.Malignancy);
        string? oldLabel = field == CorrectionFields.BodyPart
            ? earlier.GetValueOrDefault(CorrectionFields.BodyPart) ?? ai.BodyPart
            : earlier.GetValueOrDefault(CorrectionFields.Malignancy) ?? groups.AiMalignancyLabel;
        if (malignancy is not null && groups.MalignancyTrackingUid is null)
            return Problem(409, "No malignancy result", "The AI did not assess malignancy on this image, so there is no malignancy finding to correct.");

        var o = options.Value;
        var now = _time.GetLocalNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        long instanceNumber;
        await using (var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false))
            instanceNumber = 1 + await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM corrections WHERE study_instance_uid = @study", new { study = image.StudyInstanceUid }, cancellationToken: ct)).ConfigureAwait(false);
        var srUid = DicomUid.Generate();
        var document = PhysicianCorrectionReport.Build(new PhysicianCorrection
        {
            SourceImage = source,
            AiReport = new DicomHierarchicalSopReference(new DicomUid(aiReport.StudyInstanceUid), new DicomUid(aiReport.SeriesInstanceUid),
                new DicomUid(aiReport.SopClassUid), new DicomUid(aiReport.SopInstanceUid)),
            BodyPartTrackingUid = groups.BodyPartTrackingUid,
            CorrectedBodyPartLabel = bodyPart,
            MalignancyTrackingUid = malignancy is null ? null : groups.MalignancyTrackingUid,
            SuspiciousForMalignancy = malignancy is null ? null : malignancy == CorrectionFields.Suspicious,
            Physician = PersonName(displayName),
            Organization = o.Organization,
            AiDevice = SrReportBuilder.Device,
            ReviewerEquipment = new DicomSrEquipment("EdgeCancer")
            {
                ModelName = "EdgeCancer Viewer",
                SoftwareVersions = typeof(CorrectionService).Assembly.GetName().Version?.ToString() ?? "0",
            },
            Series = new SrSeriesInfo(DicomUid.FromName(image.StudyInstanceUid + "/physician-review"), o.ReviewSeriesNumber, "AI results physician review"),
            InstanceNumber = (int)Math.Min(instanceNumber, int.MaxValue),
            ContentDateTime = now,
            SopInstanceUid = srUid,
            SopClassUid = new DicomUid(aiReport.SopClassUid),
        });
        var (outcome, _, _) = await writer.StoreAsync(new DicomFile(document), enqueueWork: false, ct).ConfigureAwait(false);
        if (!outcome.Status.IsSuccess)
            return Problem(500, "Correction report not stored", $"The archive refused the correction SR: {outcome.Status} {outcome.ErrorComment}");

        var modelName = field == CorrectionFields.BodyPart ? SrReportBuilder.BodyPartModelName : SrReportBuilder.MalignancyModelName;
        var model = ai.Models.FirstOrDefault(m => m.Name == modelName);
        var record = new CorrectionRecord
        {
            UserName = userName,
            CorrectedAt = nowMs,
            SopInstanceUid = sopInstanceUid,
            StudyInstanceUid = image.StudyInstanceUid,
            SeriesInstanceUid = image.SeriesInstanceUid,
            ModelSet = ai.ModelSet,
            ModelVersion = model is null ? ai.ModelSet : $"{model.Name}@{model.Version}",
            Field = field,
            OldLabel = oldLabel,
            NewLabel = label,
            Comment = comment,
            CorrectedSrUid = srUid.Value,
            RetrainQueued = true,
        };
        var id = await index.ExecuteWriteAsync(async c => await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO corrections (user_name, corrected_at, sop_instance_uid, study_instance_uid, series_instance_uid, model_set, model_version,
                                     field, old_label, new_label, comment, corrected_sr_uid, retrain_queued)
            VALUES (@UserName, @CorrectedAt, @SopInstanceUid, @StudyInstanceUid, @SeriesInstanceUid, @ModelSet, @ModelVersion,
                    @Field, @OldLabel, @NewLabel, @Comment, @CorrectedSrUid, @RetrainQueued)
            RETURNING id
            """, record, cancellationToken: ct)).ConfigureAwait(false), ct).ConfigureAwait(false);
        return new CorrectionOutcome(record with { Id = id }, 201, null, null);
    }

    /// <summary>Corrections queued for retraining, oldest first.</summary>
    public async Task<IReadOnlyList<CorrectionRecord>> RetrainQueueAsync(CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CorrectionRecord>(new CommandDefinition(Select + " WHERE retrain_queued = @yes ORDER BY id", new { yes = true }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Corrections of one image, oldest first.</summary>
    public async Task<IReadOnlyList<CorrectionRecord>> ForImageAsync(string sopInstanceUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CorrectionRecord>(new CommandDefinition(Select + " WHERE sop_instance_uid = @sop ORDER BY id", new { sop = sopInstanceUid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    private async Task<Dictionary<string, string>> LatestAsync(string sopInstanceUid, CancellationToken ct)
    {
        var latest = new Dictionary<string, string>();
        foreach (var r in await ForImageAsync(sopInstanceUid, ct).ConfigureAwait(false)) latest[r.Field] = r.NewLabel;
        return latest;
    }

    private sealed record AiGroups(DicomUid BodyPartTrackingUid, DicomUid? MalignancyTrackingUid, string? AiMalignancyLabel);

    /// <summary>The tracking UIDs of the AI report's groups, found by Tracking Identifier (the correction reuses them, SR.md §2.9).</summary>
    private static AiGroups ReadAiGroups(DicomDataset aiReport, string aiSopInstanceUid)
    {
        DicomUid? bodyPart = null, malignancy = null;
        string? aiDecision = null;
        if (DicomContentTreeReader.TryReadRoot(aiReport, out var root, out _) && root!.FindChild(SrCodes.ImagingMeasurements) is { } measurements)
        {
            foreach (var group in measurements.Children)
            {
                var id = (group.FindChild(SrCodes.TrackingIdentifier) as DicomTextItem)?.Text;
                var uid = (group.FindChild(SrCodes.TrackingUniqueIdentifier) as DicomUidRefItem)?.Uid;
                if (id == AiImageReport.BodyPartTrackingIdentifier) bodyPart = uid;
                else if (id == AiImageReport.MalignancyTrackingIdentifier)
                {
                    malignancy = uid;
                    if (group.FindChild(SrCodes.SuspiciousForMalignancy) is DicomCodeItem decision)
                        aiDecision = decision.Code.Matches(SrCodes.Yes) ? CorrectionFields.Suspicious : CorrectionFields.NotSuspicious;
                }
            }
        }
        // The pipeline derives tracking UIDs from the report's UID (SrReportBuilder); use that when the tree lacks them.
        return new AiGroups(bodyPart ?? DicomUid.FromName(aiSopInstanceUid + "/tracking/body-part"), malignancy, aiDecision);
    }

    /// <summary>A display name as a DICOM person name: "Jane Doe" → "Doe^Jane"; a name with '^' is taken as it is.</summary>
    public static DicomPersonName PersonName(string displayName)
    {
        var name = displayName.Trim();
        if (name.Contains('^', StringComparison.Ordinal)) return new DicomPersonName(name);
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length < 2 ? new DicomPersonName(name) : new DicomPersonName(parts[^1], string.Join(' ', parts[..^1]));
    }

    private const string Select =
        """
        SELECT id AS Id, user_name AS UserName, corrected_at AS CorrectedAt, sop_instance_uid AS SopInstanceUid, study_instance_uid AS StudyInstanceUid,
               series_instance_uid AS SeriesInstanceUid, model_set AS ModelSet, model_version AS ModelVersion, field AS Field, old_label AS OldLabel,
               new_label AS NewLabel, comment AS Comment, corrected_sr_uid AS CorrectedSrUid, retrain_queued AS RetrainQueued
        FROM corrections
        """;
}
