using System.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// The real OpenSSH client in batch mode with key login. Host keys are neither checked nor stored (every test host
/// has a fresh key, and a gateway may hand the same address to different hosts). Against an <see cref="SshdHost"/>
/// the first stdout line is the serving host's name, then the command's output.
/// </summary>
public static class SshClient
{
    public static Task<ProcessResult> RunAsync(
        IPEndPoint server,
        SshClientKey key,
        string user,
        string command,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IPAddress? source = null)
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
        return ProcessRunner.RunAsync(ExternalTools.Require("ssh"), arguments, timeout, cancellationToken);
    }

    /// <summary>The host name an <see cref="SshdHost"/> printed first, or null.</summary>
    public static string? ServedBy(ProcessResult result) =>
        result.Stdout.Split('\n', 2)[0].Trim() is { Length: > 0 } line ? line : null;
}
