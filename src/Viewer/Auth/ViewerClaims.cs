using System.Security.Claims;
using EdgeCancer.Viewer.Accounts;

namespace EdgeCancer.Viewer.Auth;

/// <summary>The claims of a viewer session cookie.</summary>
public static class ViewerClaims
{
    public const string DisplayName = "edgecancer:display";
    /// <summary>A random id per sign-in: "once per series per session" audit keys on it.</summary>
    public const string SessionId = "edgecancer:sid";
    /// <summary>Present ("true") while the account still has a one-time password.</summary>
    public const string MustChangePassword = "edgecancer:must-change-password";

    public static ClaimsPrincipal For(ViewerUser user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Name),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role),
            new(DisplayName, user.DisplayName),
            new(SessionId, Guid.NewGuid().ToString("N")),
        };
        if (user.MustChangePassword) claims.Add(new Claim(MustChangePassword, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string UserName(this ClaimsPrincipal p) => p.Identity?.Name ?? "";
    public static string DisplayNameOf(this ClaimsPrincipal p) => p.FindFirst(DisplayName)?.Value ?? p.UserName();
    public static string Session(this ClaimsPrincipal p) => p.FindFirst(SessionId)?.Value ?? "";
    public static bool MustChange(this ClaimsPrincipal p) => p.HasClaim(MustChangePassword, "true");
}
