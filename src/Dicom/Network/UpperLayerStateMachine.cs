using System.Collections.Frozen;
using static EdgeCancer.Dicom.Network.UpperLayerAction;
using static EdgeCancer.Dicom.Network.UpperLayerEvent;
using static EdgeCancer.Dicom.Network.UpperLayerState;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// The DICOM upper layer state transition table (PS3.8 §9.2.3, Table 9-10) as data, and the pure function
/// (state, event) → (action, next state). Every pair the table leaves empty aborts with AA-8.
/// </summary>
/// <remarks>
/// AE-6 always leads to Sta3 here: the "acceptable by service-provider" test of Table 9-6 is made by the local user
/// (<see cref="AssociationNegotiator"/>), whose reject then takes Evt8 → AE-8 → Sta13, the same outcome on the wire.
/// </remarks>
public static class UpperLayerStateMachine
{
    private static readonly UpperLayerState[] Sta6To12 = [Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12];
    private static readonly UpperLayerState[] Sta8To12 = [Sta8, Sta9, Sta10, Sta11, Sta12];

    /// <summary>Table 9-10: the action for each (state, event) pair it defines.</summary>
    public static FrozenDictionary<(UpperLayerState State, UpperLayerEvent Event), UpperLayerAction> Table { get; } = BuildTable();

    private static FrozenDictionary<(UpperLayerState, UpperLayerEvent), UpperLayerAction> BuildTable()
    {
        var t = new Dictionary<(UpperLayerState, UpperLayerEvent), UpperLayerAction>();
        void Row(UpperLayerEvent e, params (UpperLayerState State, UpperLayerAction Action)[] cells)
        {
            foreach (var (s, a) in cells) t.Add((s, e), a);
        }
        (UpperLayerState, UpperLayerAction)[] Each(UpperLayerState[] states, UpperLayerAction a) => states.Select(s => (s, a)).ToArray();

        Row(Evt1, (Sta1, AE1));
        Row(Evt2, (Sta4, AE2));
        Row(Evt3, [(Sta2, AA1), (Sta3, AA8), (Sta5, AE3), .. Each(Sta6To12, AA8), (Sta13, AA6)]);
        Row(Evt4, [(Sta2, AA1), (Sta3, AA8), (Sta5, AE4), .. Each(Sta6To12, AA8), (Sta13, AA6)]);
        Row(Evt5, (Sta1, AE5));
        Row(Evt6, [(Sta2, AE6), (Sta3, AA8), (Sta5, AA8), .. Each(Sta6To12, AA8), (Sta13, AA7)]);
        Row(Evt7, (Sta3, AE7));
        Row(Evt8, (Sta3, AE8));
        Row(Evt9, (Sta6, DT1), (Sta8, AR7));
        Row(Evt10, [(Sta2, AA1), (Sta3, AA8), (Sta5, AA8), (Sta6, DT2), (Sta7, AR6), .. Each(Sta8To12, AA8), (Sta13, AA6)]);
        Row(Evt11, (Sta6, AR1));
        Row(Evt12, [(Sta2, AA1), (Sta3, AA8), (Sta5, AA8), (Sta6, AR2), (Sta7, AR8), .. Each(Sta8To12, AA8), (Sta13, AA6)]);
        Row(Evt13, (Sta2, AA1), (Sta3, AA8), (Sta5, AA8), (Sta6, AA8), (Sta7, AR3), (Sta8, AA8), (Sta9, AA8),
            (Sta10, AR10), (Sta11, AR3), (Sta12, AA8), (Sta13, AA6));
        Row(Evt14, (Sta8, AR4), (Sta9, AR9), (Sta12, AR4));
        Row(Evt15, [(Sta3, AA1), (Sta4, AA2), (Sta5, AA1), .. Each(Sta6To12, AA1)]);
        Row(Evt16, [(Sta2, AA2), (Sta3, AA3), (Sta5, AA3), .. Each(Sta6To12, AA3), (Sta13, AA2)]);
        Row(Evt17, [(Sta2, AA5), (Sta3, AA4), (Sta4, AA4), (Sta5, AA4), .. Each(Sta6To12, AA4), (Sta13, AR5)]);
        Row(Evt18, (Sta2, AA2), (Sta13, AA2));
        Row(Evt19, [(Sta2, AA1), (Sta3, AA8), (Sta5, AA8), .. Each(Sta6To12, AA8), (Sta13, AA7)]);
        return t.ToFrozenDictionary();
    }

    /// <summary>The transition for <paramref name="evt"/> in <paramref name="state"/>; AA-8 → Sta13 when Table 9-10 has no entry.</summary>
    /// <param name="state">The current state.</param>
    /// <param name="evt">The event.</param>
    /// <param name="isRequestor">True on the association-requestor side (decides AR-8, Table 9-8).</param>
    public static StateTransition Next(UpperLayerState state, UpperLayerEvent evt, bool isRequestor) =>
        Table.TryGetValue((state, evt), out var action)
            ? new StateTransition(action, NextStateOf(action, isRequestor))
            : new StateTransition(AA8, Sta13, IsDefined: false);

    /// <summary>The state each action leads to (PS3.8 Tables 9-6 … 9-9).</summary>
    public static UpperLayerState NextStateOf(UpperLayerAction action, bool isRequestor) => action switch
    {
        AE1 => Sta4,
        AE2 => Sta5,
        AE3 => Sta6,
        AE4 => Sta1,
        AE5 => Sta2,
        AE6 => Sta3,
        AE7 => Sta6,
        AE8 => Sta13,
        DT1 or DT2 => Sta6,
        AR1 => Sta7,
        AR2 => Sta8,
        AR3 => Sta1,
        AR4 => Sta13,
        AR5 => Sta1,
        AR6 => Sta7,
        AR7 => Sta8,
        AR8 => isRequestor ? Sta9 : Sta10,
        AR9 => Sta11,
        AR10 => Sta12,
        AA1 => Sta13,
        AA2 or AA3 or AA4 or AA5 => Sta1,
        AA6 or AA7 or AA8 => Sta13,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not an action of PS3.8 §9.2.2."),
    };
}
