using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The built <c>desktop-operator</c> started with a bad command line or into a failing start: one line on stderr naming
/// the option and the cause, exit code 2 for bad usage and 1 for a failure at run time, never a stack trace.
/// </summary>
public sealed class StartupErrorTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _root = HostLogs.CreateDirectory("startup-errors");
    private readonly string _manifests;
    private readonly string _state;
    private readonly string _http = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";

    public StartupErrorTests()
    {
        _manifests = Directory.CreateDirectory(Path.Combine(_root, "manifests")).FullName;
        _state = Path.Combine(_root, "state");
    }

    public static TheoryData<string[], int, string> UsageErrors => new()
    {
        { ["--bogus"], 2, "Unrecognized command or argument '--bogus'" },
        { ["--http", "nope"], 2, "--http: 'nope' is not a URL such as http://127.0.0.1:8080" },
        { ["--http", "https://127.0.0.1:9443"], 2, "--http: 'https://127.0.0.1:9443' must start with http://" },
        { ["--listen-address", "1.2.3"], 2, "--listen-address: '1.2.3' is not an IP address" },
        { ["--listen-address", "gateway.example"], 2, "--listen-address: 'gateway.example' is not an IP address" },
        { ["--drain-time", "0s"], 2, "--drain-time: must be more than 0 (e.g. 30s), not '0s'" },
        { ["--queue-timeout", "-5s"], 2, "--queue-timeout: '-5s' is not a duration such as 30s, 5m or 1h30m" },
        { ["--connect-timeout", "5"], 2, "--connect-timeout: '5' is not a duration" },
        { ["--max-connections-per-pool", "-1"], 2, "--max-connections-per-pool: must be 0 (no limit) or more, not '-1'" },
        { ["--max-connections-per-host", "many"], 2, "--max-connections-per-host: 'many' is not a whole number" },
        { ["--io-threads", "-1"], 2, "--io-threads: must be a whole number from 0 to 64, not '-1'" },
        { ["--io-threads", "65"], 2, "--io-threads: must be a whole number from 0 to 64, not '65'" },
        { ["--max-connections", "0"], 2, "--max-connections: must be a whole number of 1 or more, not '0'" },
        // Two descriptors per connection: more than any open-file limit allows.
        { ["--max-connections", "2000000000"], 2, "--max-connections: 2000000000 connections need 4000000000 open files but the limit is" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Standalone_BadOption_OneLineNamingTheOptionAndExitCode(string[] extra, int exitCode, string expected)
    {
        // A free port unless the case is about --http: should a bad value be taken, nothing binds 8080.
        string[] http = extra.Contains("--http") ? [] : ["--http", _http];

        var result = await RunAsync(["standalone", "--manifests", _manifests, "--state", _state, .. http, .. extra]);

        AssertOneLine(result, exitCode, expected);
    }

    [Fact]
    public async Task Standalone_MissingRequiredOption_NamesIt()
    {
        var result = await RunAsync(["standalone", "--manifests", _manifests]);

        AssertOneLine(result, 2, "Option '--state' is required");
    }

    [Fact]
    public async Task Standalone_ManifestFolderMissing_NamesOptionAndFolder()
    {
        var missing = Path.Combine(_root, "no-such-folder");

        var result = await RunAsync(["standalone", "--manifests", missing, "--state", _state, "--http", _http]);

        AssertOneLine(result, 2, $"--manifests: folder '{missing}' does not exist");
    }

    [Fact]
    public async Task Standalone_ManifestPathIsAFile_NamesOptionAndPath()
    {
        var file = Path.Combine(_root, "pool.yaml");
        await File.WriteAllTextAsync(file, "kind: DesktopPool\n");

        var result = await RunAsync(["standalone", "--manifests", file, "--state", _state, "--http", _http]);

        AssertOneLine(result, 2, $"--manifests: '{file}' is a file, not a folder of manifests");
    }

    [Fact]
    public async Task Standalone_HttpPortInUse_OneLineAndExitCode1()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndPoint!).Port}";

        var result = await RunAsync(["standalone", "--manifests", _manifests, "--state", _state, "--http", url, "--listen-address", "127.0.0.1"]);

        AssertOneLine(result, 1, $"--http: cannot listen on {url}: the address is already in use");
    }

    [Fact]
    public async Task Standalone_Help_EachDurationDefaultPrintedOnceInGoFormat()
    {
        var result = await RunAsync(["standalone", "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Default 30s.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Default 2h.", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("00:00:30", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[default: 00:", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => HostLogs.Remove(_root);

    private static Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments) =>
        ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), arguments, Timeout, CancellationToken.None);

    private static void AssertOneLine(ProcessResult result, int exitCode, string expected)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, expected {exitCode}: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
