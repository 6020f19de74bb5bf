using EdgeCancer.Host.Commands;
using static EdgeCancer.Interop.Tests.Cli.CliHarness;

namespace EdgeCancer.Interop.Tests.Cli;

/// <summary><c>edgecancer echo</c> against DCMTK's storescp: success, refusal and a closed port.</summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class EchoCommandTests
{
    [Test]
    public async Task Echo_to_storescp_succeeds_and_prints_the_status_and_round_trip_time_for_each_repeat()
    {
        int port = FreePort();
        var dir = Directory.CreateTempSubdirectory("ec-echo").FullName;
        await using var scp = await Peer.StartAsync("storescp", port, "-aet", "STORESCP", "-od", dir, port.ToString());
        var r = await RunAsync("echo", "127.0.0.1", port.ToString(), "-aec", "STORESCP", "-aet", "ECHOTEST", "--repeat", "3");
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        var lines = r.Out.Split('\n').Where(l => l.Contains("C-ECHO", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(3), r.ToString());
        Assert.That(lines, Has.All.Match(@"^\[\d/3\] C-ECHO 0x0000 \(Success\), round trip \d+\.\d{3} ms"));
    }

    [Test]
    public async Task Echo_to_a_closed_port_fails_with_connection_refused_and_exit_code_4()
    {
        int port = FreePort();
        var r = await RunAsync("echo", "127.0.0.1", port.ToString(), "--timeout", "5");
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.ConnectionFailed), r.ToString());
        Assert.That(r.Err, Does.Contain("Connection refused").And.Contain($"127.0.0.1:{port}"));
        Assert.That(r.Out, Is.Empty);
    }

    [Test]
    public async Task Echo_to_a_refusing_storescp_prints_the_reject_reason_and_exits_3()
    {
        int port = FreePort();
        var dir = Directory.CreateTempSubdirectory("ec-echo").FullName;
        await using var scp = await Peer.StartAsync("storescp", port, "--refuse", "-od", dir, port.ToString());
        var r = await RunAsync("echo", "127.0.0.1", port.ToString());
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.AssociationRejected), r.ToString());
        // storescp --refuse answers A-ASSOCIATE-RJ permanent, service-user, no-reason-given (DCMTK storescp.cc).
        Assert.That(r.Err, Does.Contain("association rejected").And.Contain("service-user: no-reason-given").And.Contain("permanent"));
    }

    [Test]
    public async Task Echo_to_a_peer_that_accepts_the_connection_but_never_answers_times_out_with_exit_code_5()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var accept = listener.AcceptTcpClientAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = await RunAsync("echo", "127.0.0.1", port.ToString(), "--timeout", "1");
            Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.AssociationLost), r.ToString());
            Assert.That(r.Err, Does.Contain("no answer from 127.0.0.1:" + port + " within 1 s (--timeout)"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            (await accept).Dispose();
        }
        finally { listener.Stop(); }
    }

    [Test]
    public async Task Echo_with_a_bad_port_is_a_usage_error()
    {
        var r = await RunAsync("echo", "127.0.0.1", "70000");
        Assert.That(r.Exit, Is.Not.EqualTo(0));
        Assert.That(r.Err + r.Out, Does.Contain("PORT must be 1–65535"));
    }
}
