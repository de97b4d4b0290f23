using System.Text.Json.Nodes;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// What the chart renders, parsed: lint and render for the default values and variants, the security context and
/// probes of every container, RBAC with only the verbs the programs use, the Services, budgets and NetworkPolicy.
/// </summary>
public sealed class ChartManifestTests
{
    private const string OperatorSa = RenderedChart.Release + "-desktop-operator-operator";
    private const string GatewaySa = RenderedChart.Release + "-desktop-operator-gateway";

    public static TheoryData<string[]> Variants() => new()
    {
        Array.Empty<string>(),
        new[] { "crds.enabled=false" },
        new[] { "watchNamespace=desks" },
        new[] { "gateway.service.type=LoadBalancer", "gateway.service.externalTrafficPolicy=Local" },
        new[] { "operator.leaderElection.enabled=false", "operator.replicas=1", "networkPolicy.enabled=false" },
        new[] { "gateway.tls.secretName=gateway-tls", "gateway.tls.hsts=true", "gateway.tls.redirect=false" },
    };

    [ToolTheory("helm")]
    [MemberData(nameof(Variants))]
    public async Task HelmLint_Variant_Passes(string[] values)
    {
        var arguments = new List<string> { "lint", RenderedChart.ChartDir, "--strict" };
        foreach (var value in values)
        {
            arguments.AddRange(["--set", value]);
        }

        var (exitCode, output) = await Helm.RunAsync([.. arguments]);

        Assert.True(exitCode == 0, output);
    }

    [ToolTheory("helm")]
    [MemberData(nameof(Variants))]
    public async Task EveryContainer_Variant_NonRootReadOnlyNoCapabilitiesRuntimeDefaultSeccomp(string[] values)
    {
        var chart = await RenderedChart.RenderAsync(values);

        Assert.Equal(2, chart.OfKind("Deployment").Count);
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), RenderedChart.Name(deployment));
            Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
            foreach (var container in RenderedChart.Containers(deployment))
            {
                var security = container["securityContext"]!;
                var what = $"{RenderedChart.Name(deployment)}/{container["name"]}";
                Assert.True(security["runAsNonRoot"]!.GetValue<bool>(), what);
                Assert.NotEqual(0L, security["runAsUser"]!.GetValue<long>());
                Assert.True(security["readOnlyRootFilesystem"]!.GetValue<bool>(), what);
                Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>(), what);
                Assert.False(security["privileged"]!.GetValue<bool>(), what);
                Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
                Assert.Null(security["capabilities"]!["add"]);
                Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"]!.GetValue<string>());
                Assert.Contains(container["volumeMounts"]!.AsArray(), m => m!["mountPath"]!.GetValue<string>() == "/tmp");
            }
        }
    }

    [ToolFact("helm")]
    public async Task EveryContainer_Defaults_ProbesOnHealthzAndReadyzOfItsHttpPortAndResources()
    {
        var chart = await RenderedChart.RenderAsync();

        foreach (var (component, port) in new[] { ("operator", 8081), ("gateway", 8080) })
        {
            var container = RenderedChart.Containers(chart.Deployment(component)).Single();
            Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.All(new[] { "livenessProbe", "readinessProbe", "startupProbe" }, p => Assert.Equal("http", container[p]!["httpGet"]!["port"]!.GetValue<string>()));
            var http = container["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "http")!;
            Assert.Equal((long)port, http["containerPort"]!.GetValue<long>());
            Assert.Contains($"--http=http://0.0.0.0:{port}", RenderedChart.Args(container));
            Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
            Assert.NotNull(container["resources"]!["requests"]!["memory"]);
            Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        }
    }

    [ToolFact("helm")]
    public async Task Operator_Defaults_TwoReplicasLeaderElectionWithTheLeaseInTheReleaseNamespaceAllNamespaces()
    {
        var chart = await RenderedChart.RenderAsync();
        var deployment = chart.Deployment("operator");
        var args = RenderedChart.Args(RenderedChart.Containers(deployment).Single());

        Assert.Equal(2L, deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("operator", args[0]);
        Assert.Contains("--leader-elect=true", args);
        Assert.Contains($"--leader-election-namespace={RenderedChart.Namespace}", args);
        Assert.Contains("--leader-election-id=desktop-operator", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--namespace", StringComparison.Ordinal));
        Assert.Contains($"--gateway-service={RenderedChart.Namespace}/{RenderedChart.Release}-desktop-operator-gateway", args);
        Assert.NotNull(chart.Single("Service", RenderedChart.Release + "-desktop-operator-gateway"));
        Assert.Equal(2L, chart.Deployment("gateway")["spec"]!["replicas"]!.GetValue<long>());
    }

    [ToolFact("helm")]
    public async Task Gateway_Defaults_ArgsAreFlagsOfTheGatewayCommand()
    {
        var chart = await RenderedChart.RenderAsync();

        Assert.Equal(["gateway", "--http=http://0.0.0.0:8080", "--io-threads=1", "--json-logs"], RenderedChart.Args(RenderedChart.Containers(chart.Deployment("gateway")).Single()));
    }

    [ToolFact("helm")]
    public async Task Gateway_CookieKeysSecret_MountedAndPassedAsCookieKeys()
    {
        var chart = await RenderedChart.RenderAsync("gateway.cookieKeysSecret=gateway-cookie-keys", "jsonLogs=true", "watchNamespace=desks");
        var deployment = chart.Deployment("gateway");
        var container = RenderedChart.Containers(deployment).Single();

        Assert.Equal(
            ["gateway", "--namespace=desks", "--http=http://0.0.0.0:8080", "--io-threads=1", "--cookie-keys=/etc/desktop-operator/cookie-keys/cookie-keys", "--json-logs"],
            RenderedChart.Args(container));
        var mount = container["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "cookie-keys")!;
        Assert.Equal("/etc/desktop-operator/cookie-keys", mount["mountPath"]!.GetValue<string>());
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        var volume = deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "cookie-keys")!;
        Assert.Equal("gateway-cookie-keys", volume["secret"]!["secretName"]!.GetValue<string>());
    }

    [ToolFact("helm")]
    public async Task Rbac_Defaults_GrantsExactlyTheVerbsTheProgramsUse()
    {
        var rbac = new RbacAuthorizer(await RenderedChart.RenderAsync());

        Assert.Equal(
            [
                "/events:create", "/events:patch", "/nodes:list", "/nodes:watch",
                "/pods:create", "/pods:delete", "/pods:list", "/pods:patch", "/pods:watch",
                $"/services[{RenderedChart.Release}-desktop-operator-gateway]:get", $"/services[{RenderedChart.Release}-desktop-operator-gateway]:patch",
                "coordination.k8s.io/leases:create", "coordination.k8s.io/leases[desktop-operator]:get", "coordination.k8s.io/leases[desktop-operator]:patch",
                "desktop-operator.io/desktoppools/finalizers:update", "desktop-operator.io/desktoppools/status:patch",
                "desktop-operator.io/desktoppools:list", "desktop-operator.io/desktoppools:patch", "desktop-operator.io/desktoppools:watch",
                "desktop-operator.io/sessionroutes/status:patch", "desktop-operator.io/sessionroutes:list", "desktop-operator.io/sessionroutes:watch",
                "policy/poddisruptionbudgets:create", "policy/poddisruptionbudgets:list", "policy/poddisruptionbudgets:watch",
            ],
            rbac.Grants(OperatorSa).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "/pods:list", "/pods:watch",
                "desktop-operator.io/desktoppools:list", "desktop-operator.io/desktoppools:watch",
                "desktop-operator.io/sessionroutes/status:patch", "desktop-operator.io/sessionroutes/status:update",
                "desktop-operator.io/sessionroutes:create", "desktop-operator.io/sessionroutes:delete", "desktop-operator.io/sessionroutes:get",
                "desktop-operator.io/sessionroutes:list", "desktop-operator.io/sessionroutes:patch", "desktop-operator.io/sessionroutes:update",
                "desktop-operator.io/sessionroutes:watch",
            ],
            rbac.Grants(GatewaySa).Order(StringComparer.Ordinal));
    }

    [ToolFact("helm")]
    public async Task Rbac_SingleNamespace_RolesThereOnlyNodesClusterWide()
    {
        var chart = await RenderedChart.RenderAsync("watchNamespace=desks");
        var rbac = new RbacAuthorizer(chart);

        Assert.Equal([RenderedChart.Release + "-desktop-operator-operator-nodes"], chart.OfKind("ClusterRole").Select(RenderedChart.Name));
        Assert.True(rbac.Allows(RenderedChart.Namespace, OperatorSa, new ApiRequest("create", "", "pods", "desks", null)));
        Assert.False(rbac.Allows(RenderedChart.Namespace, OperatorSa, new ApiRequest("create", "", "pods", "other", null)));
        Assert.False(rbac.Allows(RenderedChart.Namespace, OperatorSa, new ApiRequest("list", "", "pods", null, null)));
        Assert.True(rbac.Allows(RenderedChart.Namespace, OperatorSa, new ApiRequest("watch", "", "nodes", null, null)));
        Assert.True(rbac.Allows(RenderedChart.Namespace, GatewaySa, new ApiRequest("create", "desktop-operator.io", "sessionroutes", "desks", null)));
        Assert.False(rbac.Allows(RenderedChart.Namespace, GatewaySa, new ApiRequest("create", "desktop-operator.io", "sessionroutes", RenderedChart.Namespace, null)));
        Assert.True(rbac.Allows(RenderedChart.Namespace, OperatorSa, new ApiRequest("get", "coordination.k8s.io", "leases", RenderedChart.Namespace, "desktop-operator")));
        Assert.False(rbac.Allows(RenderedChart.Namespace, OperatorSa, new ApiRequest("get", "coordination.k8s.io", "leases", RenderedChart.Namespace, "another")));
        Assert.Contains("--namespace=desks", RenderedChart.Args(RenderedChart.Containers(chart.Deployment("operator")).Single()));
        Assert.Contains("--namespace=desks", RenderedChart.Args(RenderedChart.Containers(chart.Deployment("gateway")).Single()));
        Assert.Equal("desks", RenderedChart.NamespaceOf(chart.OfKind("NetworkPolicy").Single()));
    }

    [ToolFact("helm")]
    public async Task GatewayService_LoadBalancer_TypePolicyPortsAndSelectsTheGatewayPods()
    {
        var chart = await RenderedChart.RenderAsync(
            "gateway.service.type=LoadBalancer", "gateway.service.externalTrafficPolicy=Local",
            "gateway.ports[0].name=ssh", "gateway.ports[0].port=22", "gateway.ports[0].targetPort=2222",
            "gateway.ports[1].name=rdp", "gateway.ports[1].port=3389", "gateway.ports[1].targetPort=3389");
        var service = chart.Single("Service", RenderedChart.Release + "-desktop-operator-gateway");
        var podLabels = chart.Deployment("gateway")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

        Assert.Equal("LoadBalancer", service["spec"]!["type"]!.GetValue<string>());
        Assert.Equal("Local", service["spec"]!["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal(["ssh:22->2222", "rdp:3389->3389", "http:80->http"], service["spec"]!["ports"]!.AsArray().Select(p => $"{p!["name"]}:{p["port"]}->{p["targetPort"]}"));
        Assert.True(Selects(service["spec"]!["selector"]!.AsObject(), podLabels));
        Assert.Contains(RenderedChart.Containers(chart.Deployment("gateway")).Single()["ports"]!.AsArray(), p => p!["containerPort"]!.GetValue<long>() == 2222);
    }

    [ToolFact("helm")]
    public async Task BudgetsAndNetworkPolicy_Defaults_SelectTheirPods()
    {
        var chart = await RenderedChart.RenderAsync();

        foreach (var component in new[] { "operator", "gateway" })
        {
            var budget = chart.Single("PodDisruptionBudget", $"{RenderedChart.Release}-desktop-operator-{component}");
            var podLabels = chart.Deployment(component)["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            Assert.True(Selects(budget["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels), component);
            Assert.Equal(1L, budget["spec"]!["maxUnavailable"]!.GetValue<long>());
        }

        var policy = chart.OfKind("NetworkPolicy").Single();
        var hosts = policy["spec"]!["podSelector"]!;
        Assert.Equal("desktop-operator", hosts["matchLabels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal("desktop-operator.io/pool", hosts["matchExpressions"]![0]!["key"]!.GetValue<string>());
        Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        var from = policy["spec"]!["ingress"]!.AsArray().Single()!["from"]!.AsArray().Single()!;
        Assert.Equal(RenderedChart.Namespace, from["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.True(Selects(from["podSelector"]!["matchLabels"]!.AsObject(), chart.Deployment("gateway")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject()));
        Assert.False(Selects(from["podSelector"]!["matchLabels"]!.AsObject(), chart.Deployment("operator")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject()));
    }

    private static bool Selects(JsonObject selector, JsonObject labels) =>
        selector.All(s => labels[s.Key]?.GetValue<string>() == s.Value!.GetValue<string>());
}
