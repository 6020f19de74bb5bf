namespace EdgeCancer.Scp.Storage;

/// <summary>What is wrong with a UID that would become part of a storage path.</summary>
public enum UidProblem
{
    None,
    Missing,
    TooLong,
    InvalidCharacter,
    EmptyComponent,
}

/// <summary>
/// UID checks done before any path is built. PS3.5 §9.1: a UID is at most 64 characters of digits and dots, with
/// no empty component. That alone rules out path traversal (no '/', no "..").
/// Leading zeros in a component are tolerated here (some modalities emit them); they cannot escape the root.
/// </summary>
public static class StorageUid
{
    public const int MaxLength = 64;

    public static UidProblem Check(ReadOnlySpan<char> uid)
    {
        if (uid.IsEmpty) return UidProblem.Missing;
        if (uid.Length > MaxLength) return UidProblem.TooLong;
        int componentLength = 0;
        foreach (char c in uid)
        {
            if (c == '.')
            {
                if (componentLength == 0) return UidProblem.EmptyComponent;
                componentLength = 0;
            }
            else if (c is >= '0' and <= '9') componentLength++;
            else return UidProblem.InvalidCharacter;
        }
        return componentLength == 0 ? UidProblem.EmptyComponent : UidProblem.None;
    }

    /// <summary>A sentence for an error comment or a log, e.g. "Study Instance UID '../x' has a character other than digits and dots".</summary>
    public static string Describe(string name, string? uid, UidProblem problem)
    {
        string shown = uid is null ? "(none)" : uid.Length > 70 ? $"'{uid[..70]}…'" : $"'{uid}'";
        return problem switch
        {
            UidProblem.None => $"{name} {shown} is valid",
            UidProblem.Missing => $"{name} is missing",
            UidProblem.TooLong => $"{name} {shown} is longer than {MaxLength} characters",
            UidProblem.InvalidCharacter => $"{name} {shown} has a character other than digits and dots",
            UidProblem.EmptyComponent => $"{name} {shown} has an empty component",
            _ => $"{name} {shown} is invalid",
        };
    }
}
