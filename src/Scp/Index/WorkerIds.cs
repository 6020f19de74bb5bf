using System.Diagnostics;
using System.Globalization;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// Work queue claimer ids, <c>[kind/]machine/process-id/guid</c>, and the test of whether a claim outlived the process
/// that made it, so that a restarted node takes its own unfinished work back at once instead of after
/// <see cref="IndexOptions.WorkLeaseTimeout"/>.
/// </summary>
public static class WorkerIds
{
    /// <summary>A new claimer id for this process, with an optional kind prefix (<c>heatmap</c>, <c>fwd</c>).</summary>
    public static string New(string? prefix = null) =>
        (prefix is null ? "" : prefix + "/") + $"{Environment.MachineName}/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}/{Guid.NewGuid():N}";

    /// <summary>
    /// True when a claim by <paramref name="workerId"/> made at <paramref name="claimedAt"/> was made on
    /// <paramref name="machine"/> by a process that is gone: one whose process id is no longer running, or an earlier
    /// process with this process's id (a container restarts with the same id) that claimed before this one started.
    /// Claims from other machines, from running processes and ids of another form are never orphaned here; the lease
    /// still covers them.
    /// </summary>
    public static bool IsOrphaned(string workerId, DateTimeOffset claimedAt, string machine, int currentProcessId, DateTimeOffset currentProcessStart,
        Func<int, bool> isRunning)
    {
        var parts = workerId.Split('/');
        if (parts.Length < 3) return false;
        if (!string.Equals(parts[^3], machine, StringComparison.OrdinalIgnoreCase)) return false;
        if (!int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0) return false;
        if (pid == currentProcessId) return claimedAt < currentProcessStart;
        return !isRunning(pid);
    }

    /// <summary>
    /// <see cref="IsOrphaned"/> for this machine and process (a process counts as running while
    /// <see cref="Process.GetProcessById(int)"/> finds it).
    /// </summary>
    public static Func<string, DateTimeOffset, bool> OrphanedOnThisMachine()
    {
        DateTimeOffset start;
        using (var self = Process.GetCurrentProcess()) start = new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
        string machine = Environment.MachineName;
        int pid = Environment.ProcessId;
        return (workerId, claimedAt) => IsOrphaned(workerId, claimedAt, machine, pid, start, IsRunning);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
