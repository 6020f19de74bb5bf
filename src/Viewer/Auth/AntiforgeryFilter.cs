using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace EdgeCancer.Viewer.Auth;

/// <summary>
/// Checks the anti-forgery token of every state-changing API call (header <c>X-CSRF-TOKEN</c>, token from
/// <c>GET /api/antiforgery</c>); runs after authorization, so an unauthenticated call still gets 401.
/// </summary>
public sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
            return await next(context).ConfigureAwait(false);
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Anti-forgery token missing or invalid",
                detail: $"Send the token from GET /api/antiforgery in the {HeaderName} header (it changes at sign-in).");
        }
        return await next(context).ConfigureAwait(false);
    }
}

/// <summary>Refuses API calls while the account still has its one-time password (except the password change itself).</summary>
public sealed class PasswordChangeFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.MustChange() && http.GetEndpoint()?.Metadata.GetMetadata<AllowWithOneTimePassword>() is null)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Password change required",
                detail: "This account still has its one-time password; set a new one with POST /api/account/password.");
        return await next(context).ConfigureAwait(false);
    }
}

/// <summary>Endpoint metadata: callable before the one-time password is changed.</summary>
public sealed class AllowWithOneTimePassword;
