using System.Runtime.CompilerServices;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Query;

namespace EdgeCancer.Scp.Services;

/// <summary>Query SCP over the index: Patient Root and Study Root at every level (PS3.4 C.4.1), results streamed, C-CANCEL honoured.</summary>
public sealed class ArchiveFindHandler(IArchiveIndex index, ArchiveServiceOptions options) : IFindHandler
{
    /// <inheritdoc />
    public async IAsyncEnumerable<(DicomOutcome Outcome, DicomDataset? Identifier)> FindAsync(DicomRequestContext context, DicomDataset identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = QueryIdentifier.ModelOf(context.Request.AffectedSOPClassUID);
        if (model is null)
        {
            yield return (new DicomOutcome(DicomStatus.SOPClassNotSupported, "Only Patient Root and Study Root C-FIND are supported"), null);
            yield break;
        }
        var level = QueryIdentifier.LevelOf(identifier);
        if (level is null)
        {
            yield return (new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, "Query/Retrieve Level missing or not PATIENT/STUDY/SERIES/IMAGE"), null);
            yield break;
        }
        var plan = index.PlanFind(new FindRequest(model.Value, level.Value, QueryIdentifier.KeysOf(identifier), CombineDateTimeMatching: false));
        if (!plan.Success)
        {
            var status = plan.Failure == FindFailure.IdentifierDoesNotMatchSopClass ? DicomStatus.IdentifierDoesNotMatchSOPClass : DicomStatus.UnableToProcess;
            yield return (new DicomOutcome(status, plan.ErrorComment), null);
            yield break;
        }
        var pending = plan.Plan!.UnsupportedKeys.Count > 0 ? DicomStatus.PendingWarning : DicomStatus.Pending;
        int count = 0;
        await foreach (var match in index.FindAsync(plan.Plan, cancellationToken).ConfigureAwait(false))
        {
            if (++count > options.MaxFindResults)
            {
                // Not a silent cut: the SCU learns the answer is incomplete (PS3.4 C.4.1.1.4, A700 out of resources).
                yield return (new DicomOutcome(DicomStatus.OutOfResources, $"More than {options.MaxFindResults} matches; narrow the query"), null);
                yield break;
            }
            yield return (new DicomOutcome(pending), QueryIdentifier.ToDataset(match, level.Value, options.AETitle));
        }
        yield return (DicomOutcome.Success, null);
    }
}
