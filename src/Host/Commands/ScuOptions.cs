using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>Exit codes shared by the SCU commands (echo, send, find, move, get).</summary>
public static class ScuExitCodes
{
    /// <summary>Every operation ended in success (or warning).</summary>
    public const int Success = 0;
    /// <summary>The peer answered with a failure (or cancel) status for at least one operation.</summary>
    public const int FailureStatus = 1;
    /// <summary>Bad command line (unknown key, invalid port, missing file).</summary>
    public const int Usage = 2;
    /// <summary>The peer rejected the association (A-ASSOCIATE-RJ).</summary>
    public const int AssociationRejected = 3;
    /// <summary>No TCP connection (refused, unreachable, connect timeout).</summary>
    public const int ConnectionFailed = 4;
    /// <summary>The association was aborted or timed out before the operation ended.</summary>
    public const int AssociationLost = 5;
    /// <summary>Interrupted by the user.</summary>
    public const int Cancelled = 130;
}

/// <summary>
/// What every SCU command takes, in DCMTK's spelling: <c>HOST PORT</c>, <c>-aet</c> (calling AE), <c>-aec</c> (called AE),
/// <c>--timeout</c> and <c>--max-pdu</c>; and how a failed association is told to the user.
/// </summary>
public sealed class ScuOptions
{
    public Argument<string> Host { get; } = new("HOST") { Description = "host name or address of the peer" };
    public Argument<int> Port { get; } = new("PORT") { Description = "TCP port of the peer" };
    public Option<string> CallingAE { get; } = new("--aet", "-aet") { Description = "our (calling) AE title", DefaultValueFactory = _ => "EDGECANCER" };
    public Option<string> CalledAE { get; } = new("--aec", "-aec") { Description = "the peer's (called) AE title", DefaultValueFactory = _ => "ANY-SCP" };
    public Option<double> Timeout { get; } = new("--timeout", "-to") { Description = "seconds to wait for the connection, the association and each reply", DefaultValueFactory = _ => 30 };
    public Option<int> MaxPdu { get; } = new("--max-pdu", "-pdu") { Description = "largest P-DATA PDU we accept, in bytes (4096–16777216)", DefaultValueFactory = _ => DicomClient.DefaultMaxPduLength };

    /// <summary>Adds the arguments and options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Host);
        command.Arguments.Add(Port);
        command.Options.Add(CallingAE);
        command.Options.Add(CalledAE);
        command.Options.Add(Timeout);
        command.Options.Add(MaxPdu);
        Port.Validators.Add(r =>
        {
            int p = r.GetValueOrDefault<int>();
            if (p is < 1 or > 65535) r.AddError($"PORT must be 1–65535 (got {p}).");
        });
        MaxPdu.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v is < 4096 or > 16 * 1024 * 1024) r.AddError($"--max-pdu must be 4096–16777216 bytes (got {v}).");
        });
        Timeout.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!(v > 0) || v > 86400) r.AddError($"--timeout must be a number of seconds above 0 (got {v.ToString(CultureInfo.InvariantCulture)}).");
        });
        CallingAE.Validators.Add(r => CheckAE(r, "--aet"));
        CalledAE.Validators.Add(r => CheckAE(r, "--aec"));
    }

    private static void CheckAE(System.CommandLine.Parsing.OptionResult r, string name)
    {
        var v = r.GetValueOrDefault<string>() ?? "";
        // PS3.5 Table 6.2-1: AE is 1–16 characters, no backslash or control characters, not all spaces.
        if (v.Trim().Length == 0 || v.Length > 16 || v.Any(c => c == '\\' || char.IsControl(c) || c > 0x7E))
            r.AddError($"{name} must be an AE title of 1–16 printable ASCII characters without backslash (got \"{v}\").");
    }

    /// <summary>The values given on the command line.</summary>
    public ScuEndpoint Read(ParseResult parse) => new(
        parse.GetValue(Host)!,
        parse.GetValue(Port),
        parse.GetValue(CallingAE)!,
        parse.GetValue(CalledAE)!,
        TimeSpan.FromSeconds(parse.GetValue(Timeout)),
        parse.GetValue(MaxPdu));
}

/// <summary>Where and how an SCU command connects.</summary>
public sealed record ScuEndpoint(string Host, int Port, string CallingAE, string CalledAE, TimeSpan Timeout, int MaxPdu)
{
    /// <summary>Connect, association and idle timeouts all set to <see cref="Timeout"/>.</summary>
    public AssociationOptions AssociationOptions => new() { ConnectTimeout = Timeout, ArtimTimeout = Timeout, IdleTimeout = Timeout };

    /// <summary>"CALLED@host:port" for messages.</summary>
    public override string ToString() => $"{CalledAE}@{Host}:{Port}";

    /// <summary>Opens an association; a failure comes back as a message and exit code, not an exception.</summary>
    public async Task<ScuConnection> ConnectAsync(IReadOnlyList<PresentationContextRequest> contexts, IDimseRequestHandler? handler = null,
        IReadOnlyList<RoleSelection>? roles = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var client = await DicomClient.ConnectAsync(Host, Port, CallingAE, CalledAE, contexts, handler, roles, AssociationOptions, cancellationToken, MaxPdu).ConfigureAwait(false);
            return new ScuConnection(client, null, ScuExitCodes.Success);
        }
        catch (DicomAssociationException ex) when (ex.Reject is { } rj)
        {
            string hint = (rj.Source, rj.Reason) switch
            {
                (AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCalledAETitleNotRecognized) => $" (check --aec: the peer does not answer to \"{CalledAE}\")",
                (AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCallingAETitleNotRecognized) => $" (the peer does not know our AE title \"{CallingAE}\"; add it to its AE table or change --aet)",
                _ => "",
            };
            return new ScuConnection(null, $"association rejected by {this}: {rj.Description} ({rj.Result.ToString().ToLowerInvariant()}){hint}", ScuExitCodes.AssociationRejected);
        }
        catch (DicomAssociationException ex)
        {
            bool connect = ex.Message.Contains("Cannot connect", StringComparison.Ordinal);
            bool timedOut = clock.Elapsed >= Timeout - TimeSpan.FromMilliseconds(100);
            string why = timedOut
                ? $"no answer from {Host}:{Port} within {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (--timeout)"
                : ex.Message;
            if (connect && !timedOut) why += $" (is a DICOM node listening on {Host}:{Port}?)";
            return new ScuConnection(null, why, connect ? ScuExitCodes.ConnectionFailed : ScuExitCodes.AssociationLost);
        }
    }
}

/// <summary>An open association, or why there is none.</summary>
public sealed record ScuConnection(DicomClient? Client, string? Error, int ExitCode);

/// <summary>Small shared bits of the SCU commands' output.</summary>
internal static class ScuOutput
{
    public static void Error(string command, string message) => Console.Error.WriteLine($"edgecancer {command}: {message}");

    /// <summary>"Success", "Warning 0xB000 …", "Failure 0xA700 (…): comment".</summary>
    public static string Describe(DicomResponse rsp) =>
        rsp.ErrorComment is { Length: > 0 } c ? $"{rsp.Status}: {c.Trim()}" : rsp.Status.ToString();

    /// <summary>Releases, ignoring a peer that closes without answering (the work is already done).</summary>
    public static async Task ReleaseQuietlyAsync(DicomClient client, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await client.ReleaseAsync(cts.Token).ConfigureAwait(false); }
        catch (Exception ex) when (ex is OperationCanceledException or DicomNetworkException or IOException) { }
    }

    /// <summary>Exit code for an operation whose association ended early.</summary>
    public static int Lost(string command, DicomNetworkException ex)
    {
        Error(command, ex.Message);
        return ScuExitCodes.AssociationLost;
    }

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
