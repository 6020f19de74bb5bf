using System.Net;
using System.Text;
using EdgeCancer.Scp.Index;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCancer.Viewer.Tests;

/// <summary>
/// Access rules of EVERY endpoint the app registers, enumerated from its <see cref="EndpointDataSource"/>: an endpoint
/// added without a row in <see cref="Rules"/> fails <see cref="Every_registered_endpoint_has_an_access_rule"/>.
/// </summary>
[TestFixture, Category("Viewer"), NonParallelizable]
public class EndpointCoverageTests
{
    private ViewerTestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ViewerTestHost.StartAsync(IndexDialect.Sqlite);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private const string Anonymous = "anonymous";
    private const string Page = "page";
    private const string Any = "any";
    private static readonly string[] Doctor = ["drjane"];
    private static readonly string[] Technologist = ["tech", "boss"];
    private static readonly string[] Admin = ["boss"];
    private static readonly string[] Users = ["drjane", "tech", "boss"];

    /// <summary>"METHOD pattern" → who may call it: <see cref="Anonymous"/>, <see cref="Page"/> (signed-in page), <see cref="Any"/> signed-in role, or the users whose roles may.</summary>
    private static readonly Dictionary<string, object> Rules = new(StringComparer.Ordinal)
    {
        ["GET /"] = Page,
        ["GET /study/{uid}"] = Page,
        ["GET /tools"] = Page,
        ["GET /admin"] = Page,
        ["GET /login"] = Anonymous,
        ["POST /login"] = Anonymous,
        ["GET /api/me"] = Any,
        ["GET /api/antiforgery"] = Any,
        ["POST /api/logout"] = Any,
        ["POST /api/account/password"] = Any,
        ["GET /api/worklist"] = Any,
        ["GET /api/studies/{uid}/series"] = Any,
        ["GET /api/series/{uid}/instances"] = Any,
        ["GET /api/series/{uid}/ai"] = Any,
        ["GET /api/instances/{uid}/image.png"] = Any,
        ["GET /api/instances/{uid}/pixels"] = Any,
        ["GET /api/studies/{uid}/first/pixels"] = Any,
        ["GET /api/instances/{uid}/attributes"] = Any,
        ["GET /api/instances/{uid}/ai"] = Any,
        ["GET /api/instances/{uid}/corrections"] = Any,
        ["POST /api/instances/{uid}/corrections"] = Doctor,
        ["POST /api/upload"] = Technologist,
        ["GET /api/remote-aes"] = Technologist,
        ["POST /api/echo"] = Technologist,
        ["POST /api/send"] = Technologist,
        ["GET /api/retrain-queue"] = Admin,
        ["GET /api/admin/audit"] = Admin,
        ["GET /api/admin/users"] = Admin,
        ["POST /api/admin/users"] = Admin,
        ["POST /api/admin/users/{name}/disable"] = Admin,
        ["POST /api/admin/users/{name}/enable"] = Admin,
        ["POST /api/admin/users/{name}/reset"] = Admin,
        ["GET /api/events"] = Any,
        ["GET /api/instances/{uid}/heatmap.png"] = Any,
        ["GET /api/studies/{uid}/export"] = Any,
        ["GET /api/queue"] = Technologist,
        ["GET /api/associations"] = Technologist,
        ["* /api/{*path:nonfile}"] = Any,
    };

    private sealed record Registered(string Key, string Method, string Path);

    private IReadOnlyList<Registered> Endpoints()
    {
        var source = _host.App.Services.GetRequiredService<EndpointDataSource>();
        var list = new List<Registered>();
        foreach (var e in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = e.RoutePattern.RawText ?? "";
            if (!pattern.StartsWith('/')) pattern = "/" + pattern;
            var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*[^}]*\}", "no-such-endpoint")
                .Replace("{uid}", "1.2.3.4", StringComparison.Ordinal).Replace("{name}", "nobody", StringComparison.Ordinal);
            if (methods is null || methods.Count == 0) list.Add(new Registered("* " + pattern, "GET", path));
            else foreach (var m in methods) list.Add(new Registered($"{m} {pattern}", m, path));
        }
        return list;
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null };

    [Test]
    public void Every_registered_endpoint_has_an_access_rule()
    {
        var endpoints = Endpoints();
        Assert.That(endpoints, Has.Count.GreaterThanOrEqualTo(Rules.Count), "the endpoint data source lists the app's endpoints");
        var missing = endpoints.Select(e => e.Key).Where(k => !Rules.ContainsKey(k)).ToList();
        Assert.That(missing, Is.Empty, "endpoints without a rule in EndpointCoverageTests.Rules (add one): " + string.Join(", ", missing));
        var stale = Rules.Keys.Where(k => endpoints.All(e => e.Key != k)).ToList();
        Assert.That(stale, Is.Empty, "rules for endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Test]
    public async Task Signed_out_requests_get_401_problem_json_on_the_API_and_a_redirect_to_login_on_pages()
    {
        using var client = _host.Client();
        int checkedCount = 0;
        foreach (var e in Endpoints())
        {
            var rule = Rules.GetValueOrDefault(e.Key);
            if (rule is Anonymous or null) continue;
            using var rsp = await client.SendAsync(Request(e.Method, e.Path));
            if (rule is Page)
            {
                Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), e.Key);
                Assert.That(rsp.Headers.Location!.ToString(), Does.Contain("/login"), e.Key);
            }
            else
            {
                Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), e.Key);
                Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), e.Key);
            }
            checkedCount++;
        }
        Assert.That(checkedCount, Is.GreaterThanOrEqualTo(30));
    }

    [Test]
    public async Task Every_role_restricted_endpoint_answers_403_problem_json_to_other_roles()
    {
        int pairs = 0;
        foreach (var user in Users)
        {
            using var client = await _host.SignedInAsync(user);
            foreach (var e in Endpoints())
            {
                if (Rules.GetValueOrDefault(e.Key) is not string[] allowed || allowed.Contains(user)) continue;
                using var rsp = await client.SendAsync(Request(e.Method, e.Path));
                Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{user}: {e.Key}");
                Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{user}: {e.Key}");
                pairs++;
            }
        }
        // Doctor-only: 1 endpoint × 2 other users; technologist: 6 × 1 (the doctor); admin-only: 7 × 2.
        Assert.That(pairs, Is.EqualTo(2 + 6 + 14));
    }

    [Test]
    public async Task Every_POST_without_the_anti_forgery_header_is_refused_with_400_for_an_allowed_user()
    {
        int checkedCount = 0;
        foreach (var e in Endpoints().Where(e => e.Method == "POST" && e.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var rule = Rules[e.Key];
            var user = rule is string[] allowed ? allowed[0] : "boss";
            using var client = await _host.SignedInAsync(user, withCsrf: false);
            using var rsp = await client.SendAsync(Request(e.Method, e.Path));
            Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), e.Key);
            Assert.That(await rsp.Content.ReadAsStringAsync(), Does.Contain("X-CSRF-TOKEN"), e.Key);
            checkedCount++;
        }
        Assert.That(checkedCount, Is.EqualTo(Rules.Keys.Count(k => k.StartsWith("POST /api/", StringComparison.Ordinal))));
        using var me = await _host.SignedInAsync("boss");
        Assert.That((await me.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the refused sign-out did not end the session");
    }
}
