using System.Text.Json.Nodes;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// <c>gateway.service.httpPort</c>: the gateway Service's plain-HTTP port <c>http</c> (Http pools without TLS, the
/// redirect to HTTPS with it), left out with 0, range checked by the schema.
/// </summary>
public sealed class GatewayHttpServicePortChartTests
{
    private const string GatewayService = RenderedChart.Release + "-desktop-operator-gateway";

    [ToolFact("helm")]
    public async Task GatewayService_Defaults_CarriesHttpOnPort80ToTheContainersHttpPort()
    {
        var chart = await RenderedChart.RenderAsync();

        var http = Ports(chart).Single(p => p["name"]!.GetValue<string>() == "http");
        Assert.Equal(80L, http["port"]!.GetValue<long>());
        Assert.Equal("http", http["targetPort"]!.GetValue<string>());
        Assert.Equal("TCP", http["protocol"]!.GetValue<string>());

        // targetPort http is the container port the gateway's --http listens on.
        var container = RenderedChart.Containers(chart.Deployment("gateway")).Single();
        var target = container["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "http")!;
        Assert.Equal(8080L, target["containerPort"]!.GetValue<long>());
        Assert.Contains("--http=http://0.0.0.0:8080", RenderedChart.Args(container));
    }

    [ToolFact("helm")]
    public async Task GatewayService_HttpPortSet_NotPrefixedSoTheOperatorLeavesItAlone()
    {
        var chart = await RenderedChart.RenderAsync("gateway.service.httpPort=8000", "gateway.tls.secretName=gateway-tls");

        Assert.Equal(["rdp:3389", "vnc:5900", "http:8000", "https:443"], Ports(chart).Select(p => $"{p["name"]}:{p["port"]}"));
        Assert.DoesNotContain(Ports(chart), p => p["name"]!.GetValue<string>().StartsWith("dp-", StringComparison.Ordinal));
    }

    [ToolFact("helm")]
    public async Task GatewayService_HttpPort0_LeavesItOut()
    {
        var chart = await RenderedChart.RenderAsync("gateway.service.httpPort=0");

        Assert.Equal(["rdp", "vnc"], Ports(chart).Select(p => p["name"]!.GetValue<string>()));
        var notes = await RenderedChart.RenderNotesAsync("gateway.service.httpPort=0");
        Assert.Contains($"port-forward service/{GatewayService}-metrics 8080", notes, StringComparison.Ordinal);
    }

    [ToolTheory("helm")]
    [InlineData("template", "gateway.service.httpPort=70000", "at '/gateway/service/httpPort': maximum")]
    [InlineData("lint", "gateway.service.httpPort=-1", "at '/gateway/service/httpPort': minimum")]
    [InlineData("template", "gateway.service.httpPort=http", "/gateway/service/httpPort")]
    public async Task Helm_BadHttpPort_RefusedBySchemaNamingTheValue(string verb, string value, string expected)
    {
        var (exitCode, output) = await Helm.RunWithValueAsync(verb, value);

        Assert.True(exitCode != 0, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    private static List<JsonNode> Ports(RenderedChart chart) =>
        [.. chart.Single("Service", GatewayService)["spec"]!["ports"]!.AsArray().Select(p => p!)];
}
