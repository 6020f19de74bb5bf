namespace EdgeCancer.Viewer.Accounts;

/// <summary>A row of the <c>users</c> table.</summary>
public sealed record ViewerUser
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public bool Disabled { get; init; }
    public bool MustChangePassword { get; init; }
    public int FailedSignIns { get; init; }
    public long? LockedUntil { get; init; }
    public long CreatedAt { get; init; }
}

/// <summary>What a sign-in attempt came to.</summary>
public enum SignInOutcome
{
    Success,
    UnknownUser,
    WrongPassword,
    Disabled,
    LockedOut,
}

/// <summary>The result of <see cref="UserStore.SignInAsync"/>; <see cref="LockedNow"/> is set when this attempt locked the account.</summary>
public sealed record SignInResult(SignInOutcome Outcome, ViewerUser? User, bool LockedNow = false);
