using System.Net;
using System.Text;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// An OpenSSH server (<c>sshd -D -e</c>) on a loopback address and port with its own host key and a generated
/// configuration: public-key login for the current user only, and a forced command that prints the host name and
/// then runs what the client asked for, so the first line of every session tells which host served it. Ready once
/// the port greets with "SSH-2.0-". Disposing kills sshd and its per-connection children by id.
/// </summary>
public sealed class SshdHost : IAsyncDisposable
{
    private const int Attempts = 3;
    private readonly ChildProcess _process;

    private SshdHost(ChildProcess process, string hostName, IPEndPoint endpoint, SshClientKey clientKey, string directory)
    {
        _process = process;
        HostName = hostName;
        Endpoint = endpoint;
        ClientKey = clientKey;
        Directory = directory;
    }

    public string HostName { get; }

    public IPEndPoint Endpoint { get; }

    /// <summary>The key the real ssh client logs in with.</summary>
    public SshClientKey ClientKey { get; }

    /// <summary>The user the client logs in as: whoever runs the tests.</summary>
    public static string User => Environment.UserName;

    public int ProcessId => _process.Id;

    public bool IsRunning => !_process.HasExited;

    /// <summary>The folder with the generated configuration, keys and logs.</summary>
    public string Directory { get; }

    public static async Task<SshdHost> StartAsync(SshdHostOptions options, CancellationToken cancellationToken)
    {
        LoopbackPorts.EnsureLoopback(options.Address);
        var sshd = ExternalTools.Require("sshd");
        EnsurePrivilegeSeparationDirectory();
        var directory = HostLogs.CreateDirectory("sshd-" + options.HostName);
        var clientKey = options.ClientKey ?? await SshClientKey.CreateAsync(directory, cancellationToken);
        var hostKey = Path.Combine(directory, "host_ed25519");
        var keygen = await ProcessRunner.RunAsync(
            ExternalTools.Require("ssh-keygen"), ["-q", "-t", "ed25519", "-N", string.Empty, "-f", hostKey],
            TimeSpan.FromSeconds(20), cancellationToken);
        if (!keygen.Succeeded)
        {
            throw new InvalidOperationException("ssh-keygen (host key) failed: " + keygen);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "authorized_keys"), clientKey.PublicKey + "\n", cancellationToken);
        // The forced command names the host, then runs the client's command (if any) in the user's shell.
        await File.WriteAllTextAsync(
            Path.Combine(directory, "serve.sh"),
            $"echo '{options.HostName}'\nif [ -n \"$SSH_ORIGINAL_COMMAND\" ]; then exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"; fi\n",
            cancellationToken);

        var failures = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var port = options.Port != 0 ? options.Port : LoopbackPorts.GetFreePort(options.Address);
            var endpoint = new IPEndPoint(options.Address, port);
            var config = Path.Combine(directory, "sshd_config");
            await File.WriteAllTextAsync(config, Config(endpoint, directory, hostKey), cancellationToken);
            // sshd re-executes itself, which needs the absolute path.
            var process = ChildProcess.Start("sshd", sshd, ["-D", "-e", "-f", config], directory);
            if (await PortProbe.WaitForBannerAsync(endpoint, "SSH-2.0-", options.StartTimeout, () => process.HasExited, cancellationToken))
            {
                return new SshdHost(process, options.HostName, endpoint, clientKey, directory);
            }

            failures.Add($"attempt {attempt} ({endpoint}): {HostLogs.Describe(directory)}");
            await process.DisposeAsync();
        }

        HostLogs.Remove(directory);
        throw new InvalidOperationException($"sshd '{options.HostName}' did not start:\n" + string.Join('\n', failures));
    }

    public string Describe() => $"sshd '{HostName}' on {Endpoint} (pid {ProcessId}); " + HostLogs.Describe(Directory);

    /// <summary>Kills sshd and its sessions by id now (a host failing mid-test).</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        HostLogs.Remove(Directory);
    }

    private static string Config(IPEndPoint endpoint, string directory, string hostKey)
    {
        var text = new StringBuilder()
            .AppendLine($"ListenAddress {endpoint.Address}:{endpoint.Port}")
            .AppendLine($"HostKey {hostKey}")
            .AppendLine($"PidFile {Path.Combine(directory, "sshd.pid")}")
            .AppendLine($"AuthorizedKeysFile {Path.Combine(directory, "authorized_keys")}")
            .AppendLine($"AllowUsers {User}")
            .AppendLine("PermitRootLogin prohibit-password")
            .AppendLine("PubkeyAuthentication yes")
            .AppendLine("PasswordAuthentication no")
            .AppendLine("KbdInteractiveAuthentication no")
            .AppendLine("UsePAM no")
            // The generated files live in a temp folder whose modes sshd would otherwise reject.
            .AppendLine("StrictModes no")
            .AppendLine("PrintMotd no")
            .AppendLine("UseDNS no")
            .AppendLine("MaxStartups 100:30:200")
            .AppendLine($"ForceCommand /bin/sh {Path.Combine(directory, "serve.sh")}")
            .AppendLine("LogLevel VERBOSE");
        return text.ToString();
    }

    private static void EnsurePrivilegeSeparationDirectory()
    {
        const string PrivSep = "/run/sshd";
        if (!OperatingSystem.IsLinux() || System.IO.Directory.Exists(PrivSep))
        {
            return;
        }

        try
        {
            System.IO.Directory.CreateDirectory(PrivSep, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException($"sshd needs its privilege separation folder {PrivSep}: create it as root", e);
        }
    }
}
