namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>The conformance checks against the in-process test API server.</summary>
public sealed class TestApiServerConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceChecks.Names), MemberType = typeof(ConformanceChecks))]
    public async Task Check_AgainstTestApiServer_Passes(string check)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var target = await TestApiServerTarget.StartAsync(cts.Token);
        await target.EnsureWidgetCrdAsync(cts.Token);
        var ns = await target.CreateNamespaceAsync(cts.Token);
        await ConformanceChecks.All[check](target, ns, cts.Token);
    }
}

/// <summary>The same checks against the real cluster named by DESKTOP_OPERATOR_TEST_KUBECONFIG (skipped otherwise).</summary>
public sealed class RealClusterConformanceTests
{
    [RealClusterTheory]
    [MemberData(nameof(ConformanceChecks.Names), MemberType = typeof(ConformanceChecks))]
    public async Task Check_AgainstRealCluster_Passes(string check)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var target = RealClusterTarget.Create();
        await target.EnsureWidgetCrdAsync(cts.Token);
        var ns = await target.CreateNamespaceAsync(cts.Token);
        await ConformanceChecks.All[check](target, ns, cts.Token);
    }
}
