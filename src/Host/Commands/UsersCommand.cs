using System.CommandLine;
using EdgeCancer.Host.Serve;
using EdgeCancer.Scp.Index;
using EdgeCancer.Viewer;
using EdgeCancer.Viewer.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Host.Commands;

/// <summary><c>edgecancer users add|list|disable|enable|reset</c>: viewer accounts in the node's index database.</summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "data folder (default ./data)" };
        var db = new Option<string?>("--db") { Description = "index: sqlite | sqlite:PATH | postgres:CONNECTION-STRING" };
        var config = new Option<string?>("--config") { Description = "JSON config file (default ./edgecancer.json if present)" };
        var cmd = new Command("users", "Manage the viewer's user accounts");
        foreach (var o in new Option[] { data, db, config }) { o.Recursive = true; cmd.Options.Add(o); }

        var name = new Argument<string>("NAME") { Description = "user name (lower-case letters, digits, . _ -)" };
        var role = new Option<string>("--role") { Description = "doctor, technologist or admin", Required = true };
        role.AcceptOnlyFromAmong([.. ViewerRoles.All]);
        var display = new Option<string?>("--display-name") { Description = "name shown and written into correction reports, e.g. \"Jane Doe\" (default: NAME)" };
        var add = new Command("add", "Create a user with a one-time password (printed once; to be changed at first sign-in)") { name, role, display };
        add.SetAction((parse, ct) => WithStore(parse, data, db, config, async users =>
        {
            var n = parse.GetValue(name)!;
            var (user, password, error) = await users.CreateAsync(n, parse.GetValue(display) ?? n, parse.GetValue(role)!, null, ct).ConfigureAwait(false);
            if (user is null) { Console.Error.WriteLine($"edgecancer users add: {error}"); return 1; }
            Console.Out.WriteLine($"Created {user.Role} '{user.Name}'. One-time password (shown once, must be changed at first sign-in): {password}");
            return 0;
        }, ct));

        var list = new Command("list", "List users");
        list.SetAction((parse, ct) => WithStore(parse, data, db, config, async users =>
        {
            foreach (var u in await users.ListAsync(ct).ConfigureAwait(false))
                Console.Out.WriteLine($"{u.Name,-24} {u.Role,-13} {(u.Disabled ? "disabled" : "active"),-8} {(u.MustChangePassword ? "one-time password" : ""),-17} {u.DisplayName}");
            return 0;
        }, ct));

        var disableName = new Argument<string>("NAME");
        var disable = new Command("disable", "Disable a user (their sessions end at the next request)") { disableName };
        disable.SetAction((parse, ct) => WithStore(parse, data, db, config, async users =>
        {
            if (await users.SetDisabledAsync(parse.GetValue(disableName)!, true, ct).ConfigureAwait(false)) return 0;
            Console.Error.WriteLine($"edgecancer users disable: no user '{parse.GetValue(disableName)}'.");
            return 1;
        }, ct));

        var enableName = new Argument<string>("NAME");
        var enable = new Command("enable", "Enable a disabled user") { enableName };
        enable.SetAction((parse, ct) => WithStore(parse, data, db, config, async users =>
        {
            if (await users.SetDisabledAsync(parse.GetValue(enableName)!, false, ct).ConfigureAwait(false)) return 0;
            Console.Error.WriteLine($"edgecancer users enable: no user '{parse.GetValue(enableName)}'.");
            return 1;
        }, ct));

        var resetName = new Argument<string>("NAME");
        var reset = new Command("reset", "Give a user a new one-time password and lift a lockout") { resetName };
        reset.SetAction((parse, ct) => WithStore(parse, data, db, config, async users =>
        {
            var password = await users.ResetPasswordAsync(parse.GetValue(resetName)!, ct).ConfigureAwait(false);
            if (password is null) { Console.Error.WriteLine($"edgecancer users reset: no user '{parse.GetValue(resetName)}'."); return 1; }
            Console.Out.WriteLine($"New one-time password for '{parse.GetValue(resetName)}' (shown once): {password}");
            return 0;
        }, ct));

        cmd.Subcommands.Add(add);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(disable);
        cmd.Subcommands.Add(enable);
        cmd.Subcommands.Add(reset);
        return cmd;
    }

    private static async Task<int> WithStore(ParseResult parse, Option<string?> data, Option<string?> db, Option<string?> config, Func<UserStore, Task<int>> action, CancellationToken ct)
    {
        try
        {
            using var host = NodeHostBuilder.Build(new ServeArguments(parse.GetValue(data), null, null, null, parse.GetValue(db), parse.GetValue(config), null, null, null),
                s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)));
            var index = host.Services.GetRequiredService<SqlArchiveIndex>();
            await index.InitializeAsync(ct).ConfigureAwait(false);
            return await action(new UserStore(index, Options.Create(new ViewerOptions()))).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures) Console.Error.WriteLine($"edgecancer users: invalid setting: {failure}");
            return 2;
        }
    }
}
