using System.Net;
using DesktopOperator.IntegrationTests.Controllers;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary><c>desktop-operator gateway</c> refuses what it cannot run with one line: exit code 2 for a bad command line, 1 without API access.</summary>
public sealed class GatewayCommandTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = HostLogs.CreateDirectory("gateway-command");

    [Theory]
    [InlineData("--http", "nope", "--http: 'nope' is not a URL")]
    [InlineData("--listen-address", "1.2.3", "--listen-address: '1.2.3' is not an IP address")]
    [InlineData("--drain-time", "soon", "--drain-time: 'soon' is not a duration")]
    [InlineData("--max-connections-per-host", "-1", "--max-connections-per-host: must be 0 (no limit) or more")]
    [InlineData("--io-threads", "many", "--io-threads: must be a whole number from 0 to 64, not 'many'")]
    [InlineData("--trusted-proxies", "proxy", "--trusted-proxies: 'proxy' is not an address or range")]
    [InlineData("--no-such-option", "1", "--no-such-option")]
    public async Task Gateway_BadOption_OneLineAndExitCode2(string option, string value, string expected)
    {
        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["gateway", option, value], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 2, expected);
    }

    [Fact]
    public async Task Gateway_CookieKeysFileMissing_OneLineAndExitCode2()
    {
        var missing = Path.Combine(_root, "no-such-keys");

        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["gateway", "--cookie-keys", missing], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 2, "--cookie-keys:");
    }

    [Fact]
    public async Task Gateway_NoApiServer_OneLineAndExitCode1()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}/");

        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["gateway", "--kubeconfig", OperatorProcess.WriteKubeconfig(_root, closed)], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 1, $"desktop-operator gateway: cannot reach the API server at {closed.ToString().TrimEnd('/')}");
    }

    [Fact]
    public async Task Gateway_CrdsMissing_SaysSoAndExitCode1()
    {
        await using var server = new Testing.ApiServer.TestApiServer();
        await server.StartAsync();

        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["gateway", "--kubeconfig", OperatorProcess.WriteKubeconfig(_root, server.BaseAddress)], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 1, "install the CRDs first");
    }

    public void Dispose() => HostLogs.Remove(_root);

    private static void AssertOneLine(ProcessResult result, int exitCode, string expected)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, expected {exitCode}: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
