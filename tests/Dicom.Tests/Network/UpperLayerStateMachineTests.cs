using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

[Category("UpperLayer")]
public class UpperLayerStateMachineTests
{
    // PS3.8 Table 9-10, transcribed row by row in the standard's own layout; "." is an empty cell.
    //                    Sta1  Sta2  Sta3  Sta4  Sta5  Sta6  Sta7  Sta8  Sta9  Sta10 Sta11 Sta12 Sta13
    private static readonly string[] Table9_10 =
    [
        "Evt1              AE-1  .     .     .     .     .     .     .     .     .     .     .     .",
        "Evt2              .     .     .     AE-2  .     .     .     .     .     .     .     .     .",
        "Evt3              .     AA-1  AA-8  .     AE-3  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-6",
        "Evt4              .     AA-1  AA-8  .     AE-4  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-6",
        "Evt5              AE-5  .     .     .     .     .     .     .     .     .     .     .     .",
        "Evt6              .     AE-6  AA-8  .     AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-7",
        "Evt7              .     .     AE-7  .     .     .     .     .     .     .     .     .     .",
        "Evt8              .     .     AE-8  .     .     .     .     .     .     .     .     .     .",
        "Evt9              .     .     .     .     .     DT-1  .     AR-7  .     .     .     .     .",
        "Evt10             .     AA-1  AA-8  .     AA-8  DT-2  AR-6  AA-8  AA-8  AA-8  AA-8  AA-8  AA-6",
        "Evt11             .     .     .     .     .     AR-1  .     .     .     .     .     .     .",
        "Evt12             .     AA-1  AA-8  .     AA-8  AR-2  AR-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-6",
        "Evt13             .     AA-1  AA-8  .     AA-8  AA-8  AR-3  AA-8  AA-8  AR-10 AR-3  AA-8  AA-6",
        "Evt14             .     .     .     .     .     .     .     AR-4  AR-9  .     .     AR-4  .",
        "Evt15             .     .     AA-1  AA-2  AA-1  AA-1  AA-1  AA-1  AA-1  AA-1  AA-1  AA-1  .",
        "Evt16             .     AA-2  AA-3  .     AA-3  AA-3  AA-3  AA-3  AA-3  AA-3  AA-3  AA-3  AA-2",
        "Evt17             .     AA-5  AA-4  AA-4  AA-4  AA-4  AA-4  AA-4  AA-4  AA-4  AA-4  AA-4  AR-5",
        "Evt18             .     AA-2  .     .     .     .     .     .     .     .     .     .     AA-2",
        "Evt19             .     AA-1  AA-8  .     AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-8  AA-7",
    ];

    // Next states from PS3.8 Tables 9-6 to 9-9 (AR-8 depends on the side; AE-6 see UpperLayerStateMachine remarks).
    private static readonly Dictionary<string, int> NextStateOf = new()
    {
        ["AE-1"] = 4, ["AE-2"] = 5, ["AE-3"] = 6, ["AE-4"] = 1, ["AE-5"] = 2, ["AE-6"] = 3, ["AE-7"] = 6, ["AE-8"] = 13,
        ["DT-1"] = 6, ["DT-2"] = 6,
        ["AR-1"] = 7, ["AR-2"] = 8, ["AR-3"] = 1, ["AR-4"] = 13, ["AR-5"] = 1, ["AR-6"] = 7, ["AR-7"] = 8, ["AR-9"] = 11, ["AR-10"] = 12,
        ["AA-1"] = 13, ["AA-2"] = 1, ["AA-3"] = 1, ["AA-4"] = 1, ["AA-5"] = 1, ["AA-6"] = 13, ["AA-7"] = 13, ["AA-8"] = 13,
    };

    private static IEnumerable<(int State, int Event, string Action)> Cells()
    {
        foreach (var row in Table9_10)
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int evt = int.Parse(cells[0][3..]);
            for (int s = 1; s <= 13; s++)
                if (cells[s] != ".") yield return (s, evt, cells[s]);
        }
    }

    public static IEnumerable<TestCaseData> DefinedCells() =>
        Cells().Select(c => new TestCaseData(c.State, c.Event, c.Action).SetName($"Table_9_10_Sta{c.State}_Evt{c.Event}_is_{c.Action.Replace('-', '_')}"));

    private static UpperLayerAction ParseAction(string text) => Enum.Parse<UpperLayerAction>(text.Replace("-", ""));

    [TestCaseSource(nameof(DefinedCells))]
    public void Follows_Table_9_10(int state, int evt, string action)
    {
        foreach (bool requestor in new[] { true, false })
        {
            var t = UpperLayerStateMachine.Next((UpperLayerState)state, (UpperLayerEvent)evt, requestor);
            int expectedNext = action == "AR-8" ? (requestor ? 9 : 10) : NextStateOf[action];
            Assert.That(t, Is.EqualTo(new StateTransition(ParseAction(action), (UpperLayerState)expectedNext)), requestor ? "requestor" : "acceptor");
        }
    }

    [Test]
    public void Aborts_with_AA_8_on_every_pair_the_table_leaves_empty()
    {
        var defined = Cells().Select(c => (c.State, c.Event)).ToHashSet();
        int undefined = 0;
        for (int s = 1; s <= 13; s++)
        for (int e = 1; e <= 19; e++)
        {
            if (defined.Contains((s, e))) continue;
            undefined++;
            var t = UpperLayerStateMachine.Next((UpperLayerState)s, (UpperLayerEvent)e, isRequestor: true);
            Assert.That(t, Is.EqualTo(new StateTransition(UpperLayerAction.AA8, UpperLayerState.Sta13, IsDefined: false)), $"Sta{s} Evt{e}");
        }
        Assert.That(undefined, Is.EqualTo(13 * 19 - defined.Count));
    }

    [Test]
    public void Defines_exactly_the_cells_of_Table_9_10()
    {
        Assert.That(UpperLayerStateMachine.Table.Count, Is.EqualTo(Cells().Count()));
    }
}
