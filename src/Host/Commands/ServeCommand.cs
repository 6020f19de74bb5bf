using System.CommandLine;
using EdgeCancer.Host.Serve;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Host.Commands;

/// <summary><c>edgecancer serve</c>: runs the node (DICOM archive with embedded defaults).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "data folder (default ./data)" };
        var dicomPort = new Option<int?>("--dicom-port") { Description = "DICOM port (default 11112)" };
        var httpPort = new Option<int?>("--http-port") { Description = "web port (default 8080)" };
        var ae = new Option<string?>("--ae-title") { Description = "our AE title (default EDGECANCER)" };
        var db = new Option<string?>("--db") { Description = "index: sqlite | sqlite:PATH | postgres:CONNECTION-STRING" };
        var config = new Option<string?>("--config") { Description = "JSON config file (default ./edgecancer.json if present)" };
        var logFormat = new Option<string?>("--log-format") { Description = "console log format: text | json" };
        var fast = new Option<bool?>("--fast") { Description = "acknowledge C-STORE after the write and fsync in the background (as storescp does)" };
        var bind = new Option<string?>("--bind") { Description = "address to listen on (default 127.0.0.1; beyond loopback only AEs in the remote AE table may call)" };
        var roles = new Option<string>("--roles") { Description = "roles of this process: scp, worker, viewer (comma-separated)", DefaultValueFactory = _ => NodeRoles.All };
        var models = new Option<string?>("--models") { Description = "model registry folder (default ./models)" };
        var cmd = new Command("serve", "Run the node: DICOM archive (C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET), inference worker and web viewer") { data, dicomPort, httpPort, ae, db, config, logFormat, fast, bind, roles, models };
        cmd.SetAction(async (parse, ct) =>
        {
            var args = new ServeArguments(parse.GetValue(data), parse.GetValue(dicomPort), parse.GetValue(httpPort), parse.GetValue(ae),
                parse.GetValue(db), parse.GetValue(config), parse.GetValue(logFormat), parse.GetValue(fast), parse.GetValue(bind))
            {
                Roles = parse.GetResult(roles) is { Implicit: false } || Environment.GetEnvironmentVariable("EDGECANCER_Node__Roles") is null ? parse.GetValue(roles) : null,
                Models = parse.GetValue(models),
            };
            try
            {
                using var host = NodeHostBuilder.Build(args);
                await host.RunAsync(ct).ConfigureAwait(false);
                return 0;
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures) Console.Error.WriteLine($"edgecancer serve: invalid setting: {failure}");
                return 2;
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                Console.Error.WriteLine($"edgecancer serve: cannot listen: {ex.Message} (is the port in use? set --dicom-port)");
                return 3;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"edgecancer serve: {ex.Message}");
                return 3;
            }
        });
        return cmd;
    }
}
