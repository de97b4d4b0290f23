using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// <c>gateway.ioThreads</c>: passed to the gateway as <c>--io-threads</c>; the schema refuses what the gateway would
/// refuse at start (it would exit 2 and the pod crash-loop).
/// </summary>
public sealed class GatewayIoThreadsChartTests
{
    [ToolTheory("helm")]
    [InlineData("0")]
    [InlineData("4")]
    public async Task GatewayIoThreads_Set_PassedAsTheFlag(string threads)
    {
        var chart = await RenderedChart.RenderAsync($"gateway.ioThreads={threads}");

        var args = RenderedChart.Args(RenderedChart.Containers(chart.Deployment("gateway")).Single());
        Assert.Equal([$"--io-threads={threads}"], args.Where(a => a.StartsWith("--io-threads", StringComparison.Ordinal)));
    }

    [ToolTheory("helm")]
    [InlineData("template", "gateway.ioThreads=65", "at '/gateway/ioThreads': maximum")]
    [InlineData("lint", "gateway.ioThreads=-1", "at '/gateway/ioThreads': minimum")]
    [InlineData("template", "gateway.ioThreads=many", "/gateway/ioThreads")]
    public async Task Helm_BadIoThreads_RefusedBySchemaNamingTheValue(string verb, string value, string expected)
    {
        var (exitCode, output) = await Helm.RunWithValueAsync(verb, value);

        Assert.True(exitCode != 0, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }
}
