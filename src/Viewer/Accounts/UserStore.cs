using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using EdgeCancer.Scp.Index;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Accounts;

/// <summary>
/// Viewer accounts in the index database. Passwords are hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2 with a per-password salt; the format carries its parameters).
/// </summary>
public sealed partial class UserStore(SqlArchiveIndex index, IOptions<ViewerOptions> options, TimeProvider? time = null)
{
    /// <summary>The account created at first start.</summary>
    public const string InitialAdminName = "admin";

    private readonly PasswordHasher<ViewerUser> _hasher = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    /// <summary>Why a user name is not acceptable, or null.</summary>
    public static string? CheckName(string? name) =>
        name is not null && NamePattern().IsMatch(name) ? null
            : "A user name is 1–64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.";

    /// <summary>Why a password is not acceptable, or null.</summary>
    public static string? CheckPassword(string? password) =>
        password is { Length: >= 10 and <= 256 } ? null : "A password has 10 to 256 characters.";

    /// <summary>A random password of 20 characters (about 119 bits) without look-alike characters.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    public async Task<ViewerUser?> FindAsync(string name, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ViewerUser>(new CommandDefinition(Select + " WHERE name = @name", new { name }, cancellationToken: ct)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ViewerUser>> ListAsync(CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<ViewerUser>(new CommandDefinition(Select + " ORDER BY name", cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>
    /// Creates an account. Without <paramref name="password"/> a one-time password is generated and the user must
    /// change it at first sign-in. Returns the user and the password to hand over, or an error sentence.
    /// </summary>
    public async Task<(ViewerUser? User, string? Password, string? Error)> CreateAsync(string name, string displayName, string role, string? password, CancellationToken ct)
    {
        if (CheckName(name) is { } nameError) return (null, null, nameError);
        if (!ViewerRoles.IsValid(role)) return (null, null, $"Role '{role}' is not one of {string.Join(", ", ViewerRoles.All)}.");
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 64) return (null, null, "A display name has 1 to 64 characters.");
        bool generated = password is null;
        if (!generated && CheckPassword(password) is { } pwError) return (null, null, pwError);
        password ??= GeneratePassword();
        var user = new ViewerUser { Name = name, DisplayName = displayName.Trim(), Role = role, MustChangePassword = generated, CreatedAt = Now() };
        user = user with { PasswordHash = _hasher.HashPassword(user, password) };
        var inserted = await index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (name, display_name, role, password_hash, disabled, must_change_password, failed_sign_ins, created_at)
            SELECT @Name, @DisplayName, @Role, @PasswordHash, @no, @MustChangePassword, 0, @CreatedAt
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE name = @Name)
            """, new { user.Name, user.DisplayName, user.Role, user.PasswordHash, no = false, user.MustChangePassword, user.CreatedAt }, cancellationToken: ct)).ConfigureAwait(false), ct).ConfigureAwait(false);
        if (inserted == 0) return (null, null, $"A user named '{name}' already exists.");
        return (await FindAsync(name, ct).ConfigureAwait(false), password, null);
    }

    /// <summary>
    /// Creates the <c>admin</c> account with a one-time password when the database has no admin yet; returns that
    /// password (for the host to print once) or null when an admin exists.
    /// </summary>
    public async Task<string?> EnsureAdminAsync(CancellationToken ct)
    {
        await using (var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false))
        {
            var admins = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users WHERE role = @role", new { role = ViewerRoles.Admin }, cancellationToken: ct)).ConfigureAwait(false);
            if (admins > 0) return null;
        }
        var (user, password, _) = await CreateAsync(InitialAdminName, "Administrator", ViewerRoles.Admin, null, ct).ConfigureAwait(false);
        return user is null ? null : password;
    }

    /// <summary>Enables or disables an account; false when there is no such user.</summary>
    public Task<bool> SetDisabledAsync(string name, bool disabled, CancellationToken ct) =>
        index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET disabled = @disabled WHERE name = @name", new { disabled, name }, cancellationToken: ct)).ConfigureAwait(false) == 1, ct);

    /// <summary>Sets a new one-time password (must be changed at next sign-in) and lifts a lockout; null when there is no such user.</summary>
    public async Task<string?> ResetPasswordAsync(string name, CancellationToken ct)
    {
        var user = await FindAsync(name, ct).ConfigureAwait(false);
        if (user is null) return null;
        var password = GeneratePassword();
        var hash = _hasher.HashPassword(user, password);
        await index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @hash, must_change_password = @yes, failed_sign_ins = 0, locked_until = NULL WHERE name = @name",
            new { hash, yes = true, name }, cancellationToken: ct)).ConfigureAwait(false), ct).ConfigureAwait(false);
        return password;
    }

    /// <summary>Changes a password after checking the current one; returns an error sentence or null.</summary>
    public async Task<string?> ChangePasswordAsync(string name, string current, string next, CancellationToken ct)
    {
        var user = await FindAsync(name, ct).ConfigureAwait(false);
        if (user is null || _hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
            return "The current password is wrong.";
        if (CheckPassword(next) is { } error) return error;
        if (next == current) return "The new password must differ from the current one.";
        var hash = _hasher.HashPassword(user, next);
        await index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @hash, must_change_password = @no WHERE name = @name",
            new { hash, no = false, name }, cancellationToken: ct)).ConfigureAwait(false), ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Checks a password. Consecutive failures are counted; at <see cref="ViewerOptions.MaxFailedSignIns"/> the
    /// account is locked for <see cref="ViewerOptions.LockoutDuration"/>. A success resets the count.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken ct)
    {
        var user = await FindAsync(name, ct).ConfigureAwait(false);
        if (user is null)
        {
            // Spend the same work as a real check so response time does not reveal which names exist.
            _hasher.VerifyHashedPassword(new ViewerUser(), DummyHash.Value, password);
            return new SignInResult(SignInOutcome.UnknownUser, null);
        }
        var now = Now();
        if (user.LockedUntil is { } until && until > now) return new SignInResult(SignInOutcome.LockedOut, user);
        var check = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (check == PasswordVerificationResult.Failed)
        {
            var o = options.Value;
            int failures = user.FailedSignIns + 1;
            bool lockNow = failures >= o.MaxFailedSignIns;
            long? lockedUntil = lockNow ? now + (long)o.LockoutDuration.TotalMilliseconds : null;
            await index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET failed_sign_ins = @failures, locked_until = @lockedUntil WHERE id = @id",
                new { failures = lockNow ? 0 : failures, lockedUntil, id = user.Id }, cancellationToken: ct)).ConfigureAwait(false), ct).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.WrongPassword, user, lockNow);
        }
        if (user.Disabled) return new SignInResult(SignInOutcome.Disabled, user);
        string? rehash = check == PasswordVerificationResult.SuccessRehashNeeded ? _hasher.HashPassword(user, password) : null;
        await index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, password_hash = COALESCE(@rehash, password_hash) WHERE id = @id",
            new { rehash, id = user.Id }, cancellationToken: ct)).ConfigureAwait(false), ct).ConfigureAwait(false);
        return new SignInResult(SignInOutcome.Success, user);
    }

    private readonly Lazy<string> DummyHash = new(() => new PasswordHasher<ViewerUser>().HashPassword(new ViewerUser(), GeneratePassword()));

    private const string Select =
        """
        SELECT id AS Id, name AS Name, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash, disabled AS Disabled,
               must_change_password AS MustChangePassword, failed_sign_ins AS FailedSignIns, locked_until AS LockedUntil, created_at AS CreatedAt
        FROM users
        """;
}
