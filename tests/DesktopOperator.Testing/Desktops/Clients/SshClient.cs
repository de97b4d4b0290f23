using System.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// The real OpenSSH client in batch mode with key login. Host keys are neither checked nor stored (every test host
/// has a fresh key, and a gateway may hand the same address to different hosts). Against an <see cref="SshdHost"/>
/// the first stdout line is the serving host's name, then the command's output.
/// </summary>
public static class SshClient
{
    /// <summary>
    /// Starts a long-lived session running <paramref name="command"/>, its output captured to files in
    /// <paramref name="logDirectory"/>, and returns once the serving host has printed its name (or throws). The
    /// session lives until the command ends or the returned process is disposed (killed by PID).
    /// </summary>
    public static async Task<(ChildProcess Session, string ServedBy)> StartSessionAsync(
        IPEndPoint server,
        SshClientKey key,
        string user,
        string command,
        string logDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var session = ChildProcess.Start(
            "ssh-session", ExternalTools.Require("ssh"), Arguments(server, key, user, command, timeout, source: null), logDirectory);
        string? servedBy = null;
        var named = await Eventually.HoldsAsync(
            () => (servedBy = FirstLine(ChildProcess.ReadShared(session.StdoutPath))) is not null || session.HasExited,
            timeout,
            cancellationToken);
        if (!named || servedBy is null)
        {
            var output = session.ReadOutput();
            await session.DisposeAsync();
            throw new InvalidOperationException($"ssh session to {server} did not start: {output}");
        }

        return (session, servedBy);
    }

    public static Task<ProcessResult> RunAsync(
        IPEndPoint server,
        SshClientKey key,
        string user,
        string command,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IPAddress? source = null)
    {
        return ProcessRunner.RunAsync(ExternalTools.Require("ssh"), Arguments(server, key, user, command, timeout, source), timeout, cancellationToken);
    }

    /// <summary>The host name an <see cref="SshdHost"/> printed first, or null.</summary>
    public static string? ServedBy(ProcessResult result) => FirstLine(result.Stdout);

    private static string? FirstLine(string output) =>
        output.Contains('\n', StringComparison.Ordinal) && output.Split('\n', 2)[0].Trim() is { Length: > 0 } line ? line : null;

    private static List<string> Arguments(IPEndPoint server, SshClientKey key, string user, string command, TimeSpan timeout, IPAddress? source)
    {
        var arguments = new List<string>
        {
            "-F", "/dev/null",
            "-i", key.PrivateKeyPath,
            "-p", server.Port.ToString(),
            "-o", "BatchMode=yes",
            "-o", "IdentitiesOnly=yes",
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR",
            "-o", $"ConnectTimeout={Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds))}",
        };
        if (source is not null)
        {
            arguments.AddRange(["-b", source.ToString()]);
        }

        arguments.AddRange([$"{user}@{server.Address}", command]);
        return arguments;
    }
}
