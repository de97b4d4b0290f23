using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.EndToEndTests.Standalone;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Tls;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>
/// TLS termination in a real <c>desktop-operator standalone</c>: curl, trusting only a CA made in the test, reaches
/// an Http pool over HTTPS; plain HTTP is redirected (308) except the probes; renewed certificate files serve new
/// connections while an open one goes on.
/// </summary>
public sealed class TlsGatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(20);
    private readonly GatewayFolders _folders = new("tls");
    private readonly TestCertificateAuthority _ca = new();
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(90));
    private readonly int _httpsPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
    private WebUpstream? _upstream;
    private StandaloneGateway? _gateway;

    private string TlsFolder => Directory.CreateDirectory(Path.Combine(_folders.Root, "tls")).FullName;

    private string CertPath => Path.Combine(TlsFolder, "tls.crt");

    private string KeyPath => Path.Combine(TlsFolder, "tls.key");

    private string CaPath => Path.Combine(TlsFolder, "ca.crt");

    private string HttpsBase => $"https://127.0.0.1:{_httpsPort.ToString(CultureInfo.InvariantCulture)}";

    private StandaloneGateway Gateway => _gateway ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        using (var first = _ca.Issue("gateway-1"))
        {
            TestCertificateAuthority.WritePem(first, CertPath, KeyPath);
        }

        File.WriteAllText(CaPath, _ca.CertificatePem);
        var endPoint = LoopbackPorts.GetFreeEndPoint(LoopbackPorts.Address(151));
        _upstream = await WebUpstream.StartAsync("web-a", endPoint);
        File.WriteAllText(Path.Combine(_folders.Manifests, "web.yaml"), WebPool.Manifest(endPoint.Port, 4, ("web-a", endPoint.Address.ToString())));
        _gateway = await StandaloneGateway.StartAsync(
            _folders.Options("gateway") with { ExtraArguments = ["--https", HttpsBase, "--tls-cert", CertPath, "--tls-key", KeyPath] },
            _cts.Token);
    }

    [ToolFact("curl")]
    public async Task Https_CurlTrustingTheTestCa_ReachesThePool()
    {
        var result = await CurlAsync(["--cacert", CaPath, "-w", "\n%{http_code} %{scheme}", $"{HttpsBase}/web/whoami"]);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(["web-a /whoami", "200 HTTPS"], result.Stdout.Split('\n'));
    }

    [ToolFact("curl")]
    public async Task Http_PagesAndPools_Get308ToHttps_ProbesAndMetricsStayPlain()
    {
        var http = Gateway.AdminUri.ToString().TrimEnd('/');

        var pool = await CurlAsync(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", $"{http}/web/whoami?x=1"]);
        var picker = await CurlAsync(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", $"{http}/picker?pool=default/web"]);
        var followed = await CurlAsync(["-L", "--cacert", CaPath, $"{http}/web/whoami"]);
        var healthz = await CurlAsync(["-w", "%{http_code}", $"{http}/healthz"]);
        var metrics = await CurlAsync(["-o", "/dev/null", "-w", "%{http_code}", $"{http}/metrics"]);

        Assert.Equal($"308 {HttpsBase}/web/whoami?x=1", pool.Stdout);
        Assert.Equal($"308 {HttpsBase}/picker?pool=default/web", picker.Stdout);
        Assert.Equal("web-a /whoami", followed.Stdout);
        Assert.Equal("ok\n200", healthz.Stdout);
        Assert.Equal("200", metrics.Stdout);
    }

    [Fact]
    public async Task CertificateFilesRenewed_NewConnectionsGetTheNewCertificate_AnOpenConnectionGoesOn()
    {
        await using var open = await TlsConnection.OpenAsync(_httpsPort, _ca.Certificate, _cts.Token);
        Assert.Contains("200 OK", await open.GetAsync("/healthz", _cts.Token), StringComparison.Ordinal);
        using var second = _ca.Issue("gateway-2");

        // As a renewal tool does it: each file written aside, then renamed over the old one.
        TestCertificateAuthority.WritePem(second, CertPath + ".new", KeyPath + ".new");
        File.Move(KeyPath + ".new", KeyPath, overwrite: true);
        File.Move(CertPath + ".new", CertPath, overwrite: true);
        X509Certificate2? served = null;
        await Eventually.TrueAsync(
            async () =>
            {
                await using var fresh = await TlsConnection.OpenAsync(_httpsPort, _ca.Certificate, _cts.Token);
                served = fresh.ServerCertificate;
                return served.Thumbprint == second.Thumbprint;
            },
            "a new connection is served the renewed certificate",
            _cts.Token);

        Assert.Equal("CN=gateway-2", served!.Subject);
        Assert.Equal("CN=gateway-1", open.ServerCertificate.Subject);
        Assert.Contains("200 OK", await open.GetAsync("/healthz", _cts.Token), StringComparison.Ordinal);
    }

    private async Task<ProcessResult> CurlAsync(IReadOnlyList<string> arguments) =>
        await ProcessRunner.RunAsync(ExternalTools.Require("curl"), ["-sS", "--max-time", "10", .. arguments], CurlTimeout, _cts.Token);

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        _ca.Dispose();
        _cts.Dispose();
        _folders.Dispose();
    }
}
