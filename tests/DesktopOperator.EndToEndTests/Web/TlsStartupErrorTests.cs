using System.Globalization;
using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Tls;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>The TLS options refused at startup: one line on stderr naming the option or the file and why, exit code 2.</summary>
public sealed class TlsStartupErrorTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _root = HostLogs.CreateDirectory("tls-startup");
    private readonly TestCertificateAuthority _ca = new();
    private readonly string _https = $"https://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback).ToString(CultureInfo.InvariantCulture)}";

    private string CertPath => Path.Combine(_root, "tls.crt");

    private string KeyPath => Path.Combine(_root, "tls.key");

    [Fact]
    public async Task HttpsWithoutKey_NamesTheMissingOption()
    {
        var result = await RunAsync(["--https", _https, "--tls-cert", CertPath]);

        AssertOneLine(result, "--https: needs --tls-key FILE");
    }

    [Fact]
    public async Task CertificateWithoutHttps_SaysItNeedsHttps()
    {
        var result = await RunAsync(["--tls-cert", CertPath]);

        AssertOneLine(result, "--tls-cert: only has a meaning with --https URL");
    }

    [Fact]
    public async Task HttpsUrlWithPlainScheme_IsRefused()
    {
        var result = await RunAsync(["--https", "http://127.0.0.1:8443", "--tls-cert", CertPath, "--tls-key", KeyPath]);

        AssertOneLine(result, "--https: 'http://127.0.0.1:8443' must start with https://");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("https")]
    public async Task RedirectPortOutOfRange_IsRefused(string port)
    {
        var result = await RunAsync(["--https", _https, "--tls-cert", CertPath, "--tls-key", KeyPath, "--https-redirect-port", port]);

        AssertOneLine(result, $"--https-redirect-port: must be a port from 1 to 65535, not '{port}'");
    }

    [Fact]
    public async Task RedirectPortWithoutHttps_SaysItNeedsHttps()
    {
        var result = await RunAsync(["--https-redirect-port", "443"]);

        AssertOneLine(result, "--https-redirect-port: only has a meaning with --https URL");
    }

    [Fact]
    public async Task MissingCertificateFile_NamesTheFile()
    {
        var result = await RunAsync(["--https", _https, "--tls-cert", CertPath, "--tls-key", KeyPath]);

        AssertOneLine(result, $"{CertPath}: cannot be read");
    }

    [Fact]
    public async Task KeyOfAnotherCertificate_NamesTheKeyFile()
    {
        using var served = _ca.Issue("gateway");
        using var other = _ca.Issue("other");
        TestCertificateAuthority.WritePem(other, CertPath, KeyPath);
        File.WriteAllText(CertPath, served.ExportCertificatePem());

        var result = await RunAsync(["--https", _https, "--tls-cert", CertPath, "--tls-key", KeyPath]);

        AssertOneLine(result, $"{KeyPath}: not the private key of the certificate in the certificate file");
    }

    public void Dispose()
    {
        _ca.Dispose();
        HostLogs.Remove(_root);
    }

    private Task<ProcessResult> RunAsync(IReadOnlyList<string> extra)
    {
        var manifests = Directory.CreateDirectory(Path.Combine(_root, "manifests")).FullName;
        var http = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback).ToString(CultureInfo.InvariantCulture)}";
        return ProcessRunner.RunAsync(
            GatewayProxy.FindExecutable(), ["standalone", "--manifests", manifests, "--state", Path.Combine(_root, "state"), "--http", http, .. extra], Timeout, CancellationToken.None);
    }

    private static void AssertOneLine(ProcessResult result, string expected)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, expected 2: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
