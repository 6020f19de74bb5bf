namespace EdgeCancer.Dicom.Network;

/// <summary>One step of the upper layer protocol machine: the action to perform and the state after it.</summary>
/// <param name="Action">The action of PS3.8 Tables 9-6 … 9-9.</param>
/// <param name="NextState">The state after the action.</param>
/// <param name="IsDefined">False when the (state, event) pair is not in Table 9-10 and the machine aborts (AA-8).</param>
public readonly record struct StateTransition(UpperLayerAction Action, UpperLayerState NextState, bool IsDefined = true);
