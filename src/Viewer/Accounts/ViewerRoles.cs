namespace EdgeCancer.Viewer.Accounts;

/// <summary>The roles of viewer accounts and the authorization policies built on them.</summary>
public static class ViewerRoles
{
    public const string Doctor = "doctor";
    public const string Technologist = "technologist";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Doctor, Technologist, Admin];

    public static bool IsValid(string? role) => role is Doctor or Technologist or Admin;
}

/// <summary>Authorization policy names; every policy is enforced on the server.</summary>
public static class ViewerPolicies
{
    /// <summary>Any signed-in account (worklist, images, AI results).</summary>
    public const string Reader = "reader";
    /// <summary>Doctors only: corrections.</summary>
    public const string Doctor = "doctor";
    /// <summary>Technologists and admins: upload, C-ECHO, send.</summary>
    public const string Technologist = "technologist";
    /// <summary>Admins only: users, audit, retraining queue.</summary>
    public const string Admin = "admin";
}
