using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeCancer.Viewer.Audit;

using EdgeCancer.Scp.Index;

namespace EdgeCancer.Viewer.Tests;

[TestFixture(IndexDialect.Sqlite), TestFixture(IndexDialect.PostgreSql), Category("Viewer"), NonParallelizable]
public class AccessTests(IndexDialect dialect)
{
    private ViewerTestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ViewerTestHost.StartAsync(dialect);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private const string Uid = "1.2.3.4";

    /// <summary>Every API endpoint: method, path, and the roles allowed (null = every signed-in role).</summary>
    private static readonly (string Method, string Path, string[]? Roles)[] Endpoints =
    [
        ("GET", "/api/me", null),
        ("GET", "/api/antiforgery", null),
        ("POST", "/api/logout", null),
        ("POST", "/api/account/password", null),
        ("GET", "/api/worklist", null),
        ("GET", $"/api/studies/{Uid}/series", null),
        ("GET", $"/api/series/{Uid}/instances", null),
        ("GET", $"/api/series/{Uid}/ai", null),
        ("GET", $"/api/instances/{Uid}/image.png", null),
        ("GET", $"/api/instances/{Uid}/pixels", null),
        ("GET", $"/api/instances/{Uid}/attributes", null),
        ("GET", $"/api/instances/{Uid}/ai", null),
        ("GET", $"/api/instances/{Uid}/corrections", null),
        ("POST", $"/api/instances/{Uid}/corrections", ["drjane"]),
        ("POST", "/api/upload", ["tech", "boss"]),
        ("GET", "/api/remote-aes", ["tech", "boss"]),
        ("POST", "/api/echo", ["tech", "boss"]),
        ("POST", "/api/send", ["tech", "boss"]),
        ("GET", "/api/retrain-queue", ["boss"]),
        ("GET", "/api/admin/audit", ["boss"]),
        ("GET", "/api/admin/users", ["boss"]),
        ("POST", "/api/admin/users", ["boss"]),
        ("POST", "/api/admin/users/drjane/disable", ["boss"]),
        ("POST", "/api/admin/users/drjane/enable", ["boss"]),
        ("POST", "/api/admin/users/drjane/reset", ["boss"]),
        ("GET", "/api/no-such-endpoint", null),
    ];

    private static readonly string[] Users = ["drjane", "tech", "boss"];

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null };

    [Test]
    public async Task Every_api_endpoint_refuses_unauthenticated_requests_with_401_problem_json()
    {
        using var client = _host.Client();
        foreach (var (method, path, _) in Endpoints)
        {
            using var rsp = await client.SendAsync(Request(method, path));
            Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{method} {path}");
            Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{method} {path}");
        }
    }

    [Test]
    public async Task Every_role_restricted_endpoint_refuses_other_roles_with_403_problem_json()
    {
        int checkedPairs = 0;
        foreach (var user in Users)
        {
            using var client = await _host.SignedInAsync(user);
            foreach (var (method, path, roles) in Endpoints.Where(e => e.Roles is not null && !e.Roles.Contains(user)))
            {
                using var rsp = await client.SendAsync(Request(method, path));
                Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{user}: {method} {path}");
                Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{user}: {method} {path}");
                checkedPairs++;
            }
        }
        Assert.That(checkedPairs, Is.EqualTo(2 + 4 + 14), "every restricted endpoint was tried with every role it excludes");
    }

    [Test]
    public async Task Pages_redirect_to_the_sign_in_page_when_signed_out()
    {
        using var client = _host.Client();
        using var rsp = await client.GetAsync("/");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(rsp.Headers.Location!.ToString(), Does.Contain("/login"));
        using var login = await client.GetAsync("/login");
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task State_changing_calls_without_the_anti_forgery_header_are_refused()
    {
        using var doctor = await _host.SignedInAsync("drjane", withCsrf: false);
        using var rsp = await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections", new { field = "body-part", newLabel = "abdomen" });
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await rsp.Content.ReadAsStringAsync(), Does.Contain("X-CSRF-TOKEN"));

        using var admin = await _host.SignedInAsync("boss", withCsrf: false);
        admin.DefaultRequestHeaders.Add("X-CSRF-TOKEN", "forged");
        using var forged = await admin.PostAsJsonAsync("/api/admin/users", new { name = "mallory", displayName = "Mallory", role = "admin" });
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var users = await admin.GetStringAsync("/api/admin/users");
        Assert.That(users, Does.Not.Contain("mallory"), "the forged request changed nothing");
    }

    [Test]
    public async Task Sign_in_form_without_anti_forgery_field_is_refused()
    {
        using var client = _host.Client();
        using var rsp = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "drjane", ["password"] = ViewerTestHost.Password }));
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Wrong_password_fails_and_is_audited_and_repeated_failures_lock_the_account()
    {
        using var admin = await _host.SignedInAsync("boss");
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { name = "victim", displayName = "Vic Tim", role = "doctor", password = ViewerTestHost.Password });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var client = _host.Client();
        using var wrong = await ViewerTestHost.PostSignInAsync(client, "victim", "not the password");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var me = await client.GetAsync("/api/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no session after a failed sign-in");

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=victim");
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.That(actions, Is.EqualTo(new[] { AuditActions.SignInFailed }));
        Assert.That(audit[0].GetProperty("detail").GetString(), Is.EqualTo("wrong password"));

        // MaxFailedSignIns = 3: two more failures lock the account; then even the right password fails.
        for (int i = 0; i < 2; i++) (await ViewerTestHost.PostSignInAsync(client, "victim", "still wrong")).Dispose();
        using var locked = await ViewerTestHost.PostSignInAsync(client, "victim", ViewerTestHost.Password);
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=victim");
        actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.That(actions, Does.Contain(AuditActions.LockedOut));
        Assert.That(audit[0].GetProperty("detail").GetString(), Is.EqualTo("account locked"));

        // An admin reset lifts the lock and gives a one-time password that must be changed before anything else.
        var reset = await (await admin.PostAsync("/api/admin/users/victim/reset", null)).Content.ReadFromJsonAsync<JsonElement>();
        var oneTime = reset.GetProperty("oneTimePassword").GetString()!;
        using var again = _host.Client();
        using var ok = await ViewerTestHost.PostSignInAsync(again, "victim", oneTime);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var blocked = await again.GetAsync("/api/worklist");
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "one-time password must be changed first");
    }

    [Test]
    public async Task Successful_sign_in_is_audited_with_the_user()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        using var admin = await _host.SignedInAsync("boss");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=drjane&action=sign-in");
        Assert.That(audit.GetArrayLength(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Disabled_user_loses_the_session_at_the_next_request()
    {
        using var admin = await _host.SignedInAsync("boss");
        await admin.PostAsJsonAsync("/api/admin/users", new { name = "leaver", displayName = "Lee Ver", role = "technologist", password = ViewerTestHost.Password });
        using var leaver = await _host.SignedInAsync("leaver");
        Assert.That((await leaver.GetAsync("/api/worklist")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await admin.PostAsync("/api/admin/users/leaver/disable", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await leaver.GetAsync("/api/worklist")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Audit_rows_cannot_be_updated_or_deleted()
    {
        using (await _host.SignedInAsync("drjane")) { }
        var ex = await Assert.CatchAsync<System.Data.Common.DbException>(() => _host.Index.ExecuteWriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE audit SET action = 'tampered'";
            return await cmd.ExecuteNonQueryAsync();
        }, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("audit is append-only"));
        var del = await Assert.CatchAsync<System.Data.Common.DbException>(() => _host.Index.ExecuteWriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM audit";
            return await cmd.ExecuteNonQueryAsync();
        }, CancellationToken.None));
        Assert.That(del!.Message, Does.Contain("audit is append-only"));
    }

    [Test]
    public async Task First_start_creates_an_admin_whose_one_time_password_works_once_and_must_be_changed()
    {
        await using var fresh = await ViewerTestHost.StartAsync(dialect, seedUsers: false);
        var password = await ViewerApp.InitializeAsync(fresh.App.Services, CancellationToken.None);
        Assert.That(password, Is.Not.Null.And.Length.EqualTo(20));
        Assert.That(await ViewerApp.InitializeAsync(fresh.App.Services, CancellationToken.None), Is.Null, "printed once: an admin now exists");

        using var client = fresh.Client();
        using var signIn = await ViewerTestHost.PostSignInAsync(client, "admin", password!);
        Assert.That((await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mustChangePassword").GetBoolean(), Is.True);
        var token = (await client.GetFromJsonAsync<JsonElement>("/api/antiforgery")).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token);
        Assert.That((await client.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var weak = await client.PostAsJsonAsync("/api/account/password", new { current = password, @new = "short" });
        Assert.That(weak.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var changed = await client.PostAsJsonAsync("/api/account/password", new { current = password, @new = "a much longer passphrase" });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await changed.Content.ReadAsStringAsync());
        // The session was renewed without the one-time flag (the anti-forgery token is bound to the user, not the session).
        Assert.That((await client.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var old = await ViewerTestHost.PostSignInAsync(fresh.Client(), "admin", password!);
        Assert.That(old.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the one-time password no longer works");
    }
}
