using Microsoft.AspNetCore.Http;

namespace EdgeCancer.Viewer.Auth;

/// <summary>problem+json answers (RFC 9457) written outside endpoint handlers (authentication events, filters).</summary>
public static class ApiProblems
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);

    public static IResult Unauthorized() =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in required", detail: "Sign in at /login; the session may have expired after inactivity.");
}
