using System.Text.Json.Nodes;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// <c>gateway.tls.*</c>: the gateway's TLS flags, the Secret mounted as a directory (so renewals reach the pod), the
/// HTTPS ports of the container and the Service, probes that keep working, values refused without a Secret, and what
/// NOTES.txt tells the installer about HTTPS.
/// </summary>
public sealed class GatewayTlsChartTests
{
    private const string MountPath = "/etc/desktop-operator/tls";
    private const string GatewayService = RenderedChart.Release + "-desktop-operator-gateway";

    [ToolFact("helm")]
    public async Task Gateway_TlsOff_NoHttpsFlagsPortsOrSecretVolume()
    {
        var chart = await RenderedChart.RenderAsync();
        var deployment = chart.Deployment("gateway");
        var container = RenderedChart.Containers(deployment).Single();

        Assert.DoesNotContain(RenderedChart.Args(container), a => a.StartsWith("--https", StringComparison.Ordinal) || a.StartsWith("--tls-", StringComparison.Ordinal) || a == "--hsts");
        Assert.DoesNotContain(PortNames(container["ports"]!), n => n == "https");
        Assert.DoesNotContain(PortNames(chart.Single("Service", GatewayService)["spec"]!["ports"]!), n => n == "https");
        Assert.DoesNotContain(Volumes(deployment), v => v["name"]!.GetValue<string>() == "tls");
    }

    [ToolFact("helm")]
    public async Task Gateway_TlsSecret_FlagsPointIntoADirectoryMountOfTheSecret()
    {
        var chart = await RenderedChart.RenderAsync("gateway.tls.secretName=gateway-tls");
        var deployment = chart.Deployment("gateway");
        var container = RenderedChart.Containers(deployment).Single();

        Assert.Equal(
            ["gateway", "--http=http://0.0.0.0:8080", "--io-threads=1", "--https=https://0.0.0.0:8443", $"--tls-cert={MountPath}/tls.crt", $"--tls-key={MountPath}/tls.key", "--https-redirect-port=443", "--json-logs"],
            RenderedChart.Args(container));

        // A directory mount, never subPath: only then does the kubelet update the files when the Secret is renewed,
        // which the gateway's reload-on-change needs.
        var mount = container["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "tls")!;
        Assert.Equal(MountPath, mount["mountPath"]!.GetValue<string>());
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        Assert.Null(mount["subPath"]);
        Assert.Null(mount["subPathExpr"]);

        var secret = Volumes(deployment).Single(v => v["name"]!.GetValue<string>() == "tls")["secret"]!;
        Assert.Equal("gateway-tls", secret["secretName"]!.GetValue<string>());
        Assert.Equal(
            ["tls.crt:tls.crt", "tls.key:tls.key"],
            secret["items"]!.AsArray().Select(i => $"{i!["key"]!.GetValue<string>()}:{i["path"]!.GetValue<string>()}").Order(StringComparer.Ordinal));
    }

    [ToolFact("helm")]
    public async Task Gateway_TlsSecret_HttpsPortOnContainerAndServiceOthersUnchanged()
    {
        var chart = await RenderedChart.RenderAsync("gateway.tls.secretName=gateway-tls", "gateway.tls.port=9443", "gateway.tls.servicePort=8443");
        var container = RenderedChart.Containers(chart.Deployment("gateway")).Single();
        var service = chart.Single("Service", GatewayService);

        var https = container["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "https")!;
        Assert.Equal(9443L, https["containerPort"]!.GetValue<long>());
        Assert.Contains("--https=https://0.0.0.0:9443", RenderedChart.Args(container));

        // Plain HTTP reaching the gateway through the Service is redirected to the Service's https port, not the pod's.
        Assert.Contains("--https-redirect-port=8443", RenderedChart.Args(container));

        var servicePort = service["spec"]!["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "https")!;
        Assert.Equal(8443L, servicePort["port"]!.GetValue<long>());
        Assert.Equal("https", servicePort["targetPort"]!.GetValue<string>());
        Assert.Equal("TCP", servicePort["protocol"]!.GetValue<string>());

        // The pools' ports and the plain http port (where the redirect is answered) stay.
        Assert.Equal(["rdp", "vnc", "http", "https"], PortNames(service["spec"]!["ports"]!));
        Assert.Equal(["http"], PortNames(chart.Single("Service", GatewayService + "-metrics")["spec"]!["ports"]!));
    }

    [ToolFact("helm")]
    public async Task Gateway_TlsSecret_ProbesStayOnThePlainHttpPort()
    {
        // The gateway never redirects /healthz, /readyz and /metrics to HTTPS (HttpsRedirect.PlainPaths), so kubelet
        // probes keep plain HTTP on the http port and need no certificate.
        var chart = await RenderedChart.RenderAsync("gateway.tls.secretName=gateway-tls", "gateway.tls.hsts=true");
        var container = RenderedChart.Containers(chart.Deployment("gateway")).Single();

        foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz") })
        {
            var get = container[probe]!["httpGet"]!;
            Assert.Equal(path, get["path"]!.GetValue<string>());
            Assert.Equal("http", get["port"]!.GetValue<string>());
            Assert.True(get["scheme"] is null || get["scheme"]!.GetValue<string>() == "HTTP", $"{probe}: {get.ToJsonString()}");
        }
    }

    [ToolTheory("helm")]
    [InlineData(false, false, "--no-https-redirect")]
    [InlineData(true, true, "--hsts")]
    [InlineData(false, true, "--no-https-redirect --hsts")]
    [InlineData(true, false, "")]
    public async Task Gateway_TlsRedirectAndHsts_PassedAsTheirFlags(bool redirect, bool hsts, string expected)
    {
        var chart = await RenderedChart.RenderAsync("gateway.tls.secretName=gateway-tls", $"gateway.tls.redirect={redirect.ToString().ToLowerInvariant()}", $"gateway.tls.hsts={hsts.ToString().ToLowerInvariant()}");

        var args = RenderedChart.Args(RenderedChart.Containers(chart.Deployment("gateway")).Single());
        Assert.Equal(expected, string.Join(' ', args.Where(a => a is "--no-https-redirect" or "--hsts")));
    }

    [ToolTheory("helm")]
    [InlineData("template", "gateway.tls.hsts=true", "at '/gateway/tls/hsts': value must be false")]
    [InlineData("lint", "gateway.tls.hsts=true", "at '/gateway/tls/hsts': value must be false")]
    [InlineData("template", "gateway.tls.redirect=false", "at '/gateway/tls/redirect': value must be true")]
    [InlineData("lint", "gateway.tls.port=443", "/gateway/tls/port")]
    [InlineData("template", "gateway.tls.secretName=Gateway_TLS", "/gateway/tls/secretName")]
    public async Task Helm_BadTlsValue_RefusedBySchemaNamingTheValue(string verb, string value, string expected)
    {
        var (exitCode, output) = await Helm.RunWithValueAsync(verb, value);

        Assert.True(exitCode != 0, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Notes_TlsOff_PlainHttpUrlAndHowToTurnHttpsOn()
    {
        var notes = await RenderedChart.RenderNotesAsync();

        Assert.Contains($"port-forward service/{GatewayService} 8080:80", notes, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8080/", notes, StringComparison.Ordinal);
        Assert.Contains("HTTPS is off", notes, StringComparison.Ordinal);
        Assert.Contains("--set gateway.tls.secretName=<secret>", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("https://127.0.0.1", notes, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Notes_TlsOn_HttpsUrlAndTheRedirect()
    {
        var notes = await RenderedChart.RenderNotesAsync("gateway.tls.secretName=gateway-tls", "gateway.tls.port=9443");

        Assert.Contains($"port-forward service/{GatewayService} 9443:443", notes, StringComparison.Ordinal);
        Assert.Contains("https://127.0.0.1:9443/", notes, StringComparison.Ordinal);
        Assert.Contains("Plain HTTP (port http 80 of the Service", notes, StringComparison.Ordinal);
        Assert.Contains("308 redirect to\n   https://<same host name>/<same path> (the Service's https port)", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("<same host name>:9443", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTPS is off", notes, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Notes_TlsOnOtherServicePort_RedirectNamesThatPort()
    {
        var notes = await RenderedChart.RenderNotesAsync("gateway.tls.secretName=gateway-tls", "gateway.tls.servicePort=30443");

        Assert.Contains("308 redirect to\n   https://<same host name>:30443/<same path>", notes, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Notes_TlsOnRedirectOff_SaysPlainHttpServesToo()
    {
        var notes = await RenderedChart.RenderNotesAsync("gateway.tls.secretName=gateway-tls", "gateway.tls.redirect=false");

        Assert.Contains("https://127.0.0.1:8443/", notes, StringComparison.Ordinal);
        Assert.Contains("no redirect to HTTPS", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("308", notes, StringComparison.Ordinal);
    }

    private static List<string> PortNames(JsonNode ports) => [.. ports.AsArray().Select(p => p!["name"]!.GetValue<string>())];

    private static IEnumerable<JsonNode> Volumes(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Select(v => v!);
}
