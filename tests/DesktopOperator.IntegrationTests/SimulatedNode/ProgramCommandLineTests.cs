using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.IntegrationTests.SimulatedNode;

/// <summary>The two programs' bad input: one line on stderr, exit code 2 for an option, 1 for what they cannot reach.</summary>
public sealed class ProgramCommandLineTests : IDisposable
{
    private readonly string _root = HostLogs.CreateDirectory("program-options");

    [Theory]
    [InlineData("--listen", "localhost:80", "--listen: 'localhost:80' is not ADDRESS:PORT")]
    [InlineData("--crds", "/nonexistent-crds", "--crds: '/nonexistent-crds' is not a folder")]
    [InlineData("--frobnicate", "1", "'--frobnicate'")]
    public async Task TestApiServer_BadOption_OneLineAndExitCode2(string option, string value, string expected)
    {
        var result = await RunAsync("DesktopOperator.TestApiServer", ["--kubeconfig-out", Path.Combine(_root, "kubeconfig"), option, value]);

        AssertOneLine(result, 2, expected);
    }

    [Fact]
    public async Task TestApiServer_NoKubeconfigOut_OneLineAndExitCode2()
    {
        AssertOneLine(await RunAsync("DesktopOperator.TestApiServer", []), 2, "--kubeconfig-out: required");
    }

    [Theory]
    [InlineData("--pod-ips", "127.0.0.40-127.0.0.21", "--pod-ips: the range 127.0.0.40-127.0.0.21 is empty")]
    [InlineData("--probe-period", "soon", "--probe-period: 'soon' is not a number of seconds")]
    [InlineData("--frobnicate", "1", "'--frobnicate'")]
    public async Task SimulatedNode_BadOption_OneLineAndExitCode2(string option, string value, string expected)
    {
        // An option given twice is refused (as by the product's commands), so --pod-ips is only given once.
        string[] arguments = option == "--pod-ips" ? [option, value] : ["--pod-ips", "127.0.0.21-127.0.0.22", option, value];
        var result = await RunAsync("DesktopOperator.SimulatedNode", arguments);

        AssertOneLine(result, 2, expected);
    }

    [Fact]
    public async Task SimulatedNode_NoPodIps_OneLineAndExitCode2()
    {
        AssertOneLine(await RunAsync("DesktopOperator.SimulatedNode", []), 2, "--pod-ips: required");
    }

    [Theory]
    [InlineData("DesktopOperator.TestApiServer", "--kubeconfig-out")]
    [InlineData("DesktopOperator.SimulatedNode", "--pod-ips")]
    public async Task Program_Help_ListsTheOptionsAndExitCode0(string program, string option)
    {
        // --help needs none of the required options.
        var result = await RunAsync(program, ["--help"]);

        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr.Trim());
    }

    [Fact]
    public async Task SimulatedNode_NoApiServer_OneLineAndExitCode1()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        var kubeconfig = Controllers.OperatorProcess.WriteKubeconfig(_root, new Uri(closed));

        var result = await RunAsync("DesktopOperator.SimulatedNode", ["--kubeconfig", kubeconfig, "--pod-ips", "127.0.0.21-127.0.0.22"]);

        AssertOneLine(result, 1, $"cannot reach the API server at {closed}");
    }

    public void Dispose() => HostLogs.Remove(_root);

    private static Task<ProcessResult> RunAsync(string program, string[] arguments) =>
        ProcessRunner.RunAsync(SimulatedClusterProcesses.Program(program), arguments, TimeSpan.FromSeconds(30), CancellationToken.None);

    private static void AssertOneLine(ProcessResult result, int exitCode, string expected)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, expected {exitCode}: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
