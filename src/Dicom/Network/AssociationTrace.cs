namespace EdgeCancer.Dicom.Network;

/// <summary>A state transition of an association, reported through <see cref="AssociationOptions.Trace"/>.</summary>
/// <param name="From">The state before the event.</param>
/// <param name="Event">The event (PS3.8 Table 9-10).</param>
/// <param name="Transition">The action taken and the next state.</param>
/// <param name="Detail">Why, when there is more to say (the protocol error, the timeout).</param>
public readonly record struct AssociationTrace(UpperLayerState From, UpperLayerEvent Event, StateTransition Transition, string? Detail)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{From} {Event} -> {Transition.Action} -> {Transition.NextState}{(Transition.IsDefined ? "" : " (not in Table 9-10)")}{(Detail is null ? "" : ": " + Detail)}";
}
