using Dapper;
using EdgeCancer.Scp.Index;

namespace EdgeCancer.Viewer.Audit;

/// <summary>Actions recorded in the audit trail.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SignOut = "sign-out";
    public const string PasswordChanged = "password-changed";
    public const string StudyView = "study-view";
    public const string ImageView = "image-view";
    public const string AttributesView = "attributes-view";
    public const string Correction = "correction";
    public const string Upload = "upload";
    public const string UploadRefused = "upload-refused";
    public const string Echo = "echo";
    public const string Send = "send";
    public const string Export = "export";
    public const string UserCreated = "user-created";
    public const string UserDisabled = "user-disabled";
    public const string UserEnabled = "user-enabled";
    public const string PasswordReset = "password-reset";
}

/// <summary>One audit row.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public long At { get; init; }
    public string? UserName { get; init; }
    public string Action { get; init; } = "";
    public string? Target { get; init; }
    public string? Detail { get; init; }
    public string? RemoteAddress { get; init; }
}

/// <summary>Filter of <see cref="AuditLog.QueryAsync"/>; null fields do not filter. Times are Unix milliseconds.</summary>
public sealed record AuditQuery(string? User = null, string? Action = null, long? From = null, long? To = null, int Limit = 1000);

/// <summary>
/// The audit trail: who did what, when, from where. It is append-only by construction (this class has no update or
/// delete) and by the database (triggers in migration 0003 abort any UPDATE or DELETE).
/// </summary>
public sealed class AuditLog(SqlArchiveIndex index, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task AppendAsync(string? user, string action, string? target, string? detail, string? remoteAddress, CancellationToken ct)
    {
        var at = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit (at, user_name, action, target, detail, remote_address) VALUES (@at, @user, @action, @target, @detail, @remoteAddress)",
            new { at, user, action, target, detail = Clip(detail), remoteAddress }, cancellationToken: ct)).ConfigureAwait(false), ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery q, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<AuditEntry>(new CommandDefinition(
            """
            SELECT id AS Id, at AS At, user_name AS UserName, action AS Action, target AS Target, detail AS Detail, remote_address AS RemoteAddress
            FROM audit
            WHERE (CAST(@user AS TEXT) IS NULL OR user_name = @user)
              AND (CAST(@action AS TEXT) IS NULL OR action = @action)
              AND (CAST(@from AS BIGINT) IS NULL OR at >= @from)
              AND (CAST(@to AS BIGINT) IS NULL OR at <= @to)
            ORDER BY id DESC
            LIMIT @limit
            """, new { user = q.User, action = q.Action, from = q.From, to = q.To, limit = Math.Clamp(q.Limit, 1, 10_000) }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    private static string? Clip(string? s) => s is { Length: > 4000 } ? s[..4000] : s;
}
