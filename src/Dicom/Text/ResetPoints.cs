namespace EdgeCancer.Dicom.Text;

/// <summary>
/// The characters before which the code extension state returns to the one given by value 1 of Specific Character
/// Set (PS3.5 §6.1.2.5.3): control characters other than ESC (end of line, TAB, FF), the value delimiter '\' for
/// multi-valued string VRs, and the component group '=' and component '^' delimiters for PN.
/// </summary>
[Flags]
internal enum ResetPoints : byte
{
    /// <summary>C0 control characters except ESC, for every VR.</summary>
    Controls = 1,
    /// <summary>'\' between values (SH, LO, UC, PN; not ST, LT, UT, where it is text).</summary>
    ValueDelimiter = 2,
    /// <summary>'^' and '=' in a person name (PS3.5 §6.2.1).</summary>
    PersonNameDelimiters = 4,
}

internal static class ResetPointsExtensions
{
    public static ResetPoints ForVR(DicomVR vr)
    {
        if (vr == DicomVR.PN) return ResetPoints.Controls | ResetPoints.ValueDelimiter | ResetPoints.PersonNameDelimiters;
        if (vr.Kind == DicomVRKind.Text) return ResetPoints.Controls;
        return ResetPoints.Controls | ResetPoints.ValueDelimiter;
    }

    /// <summary>True when <paramref name="c"/> (a 7-bit code) is a point where the initial state is restored.</summary>
    public static bool IsResetPoint(this ResetPoints points, int c) => c switch
    {
        0x1B => false,
        < 0x20 => true,
        '\\' => (points & ResetPoints.ValueDelimiter) != 0,
        '^' or '=' => (points & ResetPoints.PersonNameDelimiters) != 0,
        _ => false,
    };
}
