using DesktopOperator.Testing;
using DesktopOperator.Api.Crds;
using DesktopOperator.Api.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Api.Tests.Crds;

public sealed class CrdGeneratorTests
{
    private static readonly YamlMappingNode Pools =
        CrdYaml.Parse(CrdGenerator.GenerateCrds().Single(f => f.RelativePath == "desktop-operator.io_desktoppools.yaml").Content);

    private static readonly YamlMappingNode Routes =
        CrdYaml.Parse(CrdGenerator.GenerateCrds().Single(f => f.RelativePath == "desktop-operator.io_sessionroutes.yaml").Content);

    [Fact]
    public void GenerateCrds_TwoRuns_AreIdentical()
    {
        var first = CrdGenerator.GenerateCrds().Concat(CrdGenerator.GenerateChartTemplates()).ToList();
        var second = CrdGenerator.GenerateCrds().Concat(CrdGenerator.GenerateChartTemplates()).ToList();
        Assert.Equal(4, first.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public void GenerateCrds_CommittedCrds_AreUpToDate()
    {
        foreach (var file in CrdGenerator.GenerateCrds())
        {
            AssertSameAsCommitted(RepositoryPaths.PathOf("crds", file.RelativePath), file.Content);
        }

        Assert.Equal(
            CrdGenerator.GenerateCrds().Select(f => f.RelativePath).Order(),
            Directory.GetFiles(RepositoryPaths.PathOf("crds"), "*.yaml").Select(Path.GetFileName).Order());
    }

    [Fact]
    public void GenerateChartTemplates_CommittedTemplates_AreUpToDate()
    {
        foreach (var file in CrdGenerator.GenerateChartTemplates())
        {
            AssertSameAsCommitted(RepositoryPaths.PathOf("charts", "desktop-operator", file.RelativePath), file.Content);
        }
    }

    [Fact]
    public void GenerateChartTemplates_Template_IsGatedAndKeepsOnRequest()
    {
        foreach (var file in CrdGenerator.GenerateChartTemplates())
        {
            Assert.StartsWith("{{- if .Values.crds.enabled }}\n", file.Content, StringComparison.Ordinal);
            Assert.EndsWith("{{- end }}\n", file.Content, StringComparison.Ordinal);
            Assert.Contains(
                "metadata:\n  {{- if .Values.crds.keep }}\n  annotations:\n    helm.sh/resource-policy: keep\n  {{- end }}\n  name: ",
                file.Content, StringComparison.Ordinal);
            Assert.Matches(@"^templates/crd-desktop-operator\.io_[a-z]+\.yaml$", file.RelativePath);
        }
    }

    [Fact]
    public void DesktopPoolCrd_Names_HaveShortNameCategoryAndScope()
    {
        Assert.Equal("desktoppools.desktop-operator.io", CrdYaml.Text(Pools, "metadata", "name"));
        Assert.Equal("dp", CrdYaml.Text(Pools, "spec", "names", "shortNames", "0"));
        Assert.Equal("desktop-operator", CrdYaml.Text(Pools, "spec", "names", "categories", "0"));
        Assert.Equal("Namespaced", CrdYaml.Text(Pools, "spec", "scope"));
        Assert.Equal("sr", CrdYaml.Text(Routes, "spec", "names", "shortNames", "0"));
        Assert.Equal("SessionRouteList", CrdYaml.Text(Routes, "spec", "names", "listKind"));
    }

    [Fact]
    public void Crds_Version_ServedStoredWithStatusSubresource()
    {
        foreach (var crd in new[] { Pools, Routes })
        {
            Assert.Equal("v1alpha1", CrdYaml.Text(crd, "spec", "versions", "0", "name"));
            Assert.Equal("true", CrdYaml.Text(crd, "spec", "versions", "0", "served"));
            Assert.Equal("true", CrdYaml.Text(crd, "spec", "versions", "0", "storage"));
            Assert.Empty((YamlMappingNode)CrdYaml.At(crd, "spec", "versions", "0", "subresources", "status"));
        }
    }

    [Fact]
    public void DesktopPoolCrd_PrinterColumns_ShowReadySessionsFreeAge()
    {
        Assert.Equal(
            ["Ready:.status.readyHosts:0", "Hosts:.status.totalHosts:1", "Sessions:.status.activeSessions:0",
             "Disconnected:.status.disconnectedSessions:1", "Pending:.status.pendingSessions:1", "Free:.status.freeSlots:0",
             "Age:.metadata.creationTimestamp:0"],
            Columns(Pools));
    }

    [Fact]
    public void SessionRouteCrd_PrinterColumns_ShowPoolUserHostPhaseAge()
    {
        Assert.Equal(
            ["Pool:.spec.pool:0", "User:.spec.user:0", "Protocol:.spec.protocol:1", "Host:.status.host:0",
             "Phase:.status.phase:0", "Connections:.status.activeConnections:1", "Age:.metadata.creationTimestamp:0"],
            Columns(Routes));
    }

    [Fact]
    public void DesktopPoolCrd_CrossFieldRules_AreCel()
    {
        var spec = CrdYaml.At(CrdYaml.Schema(Pools), "properties", "spec");
        // Not "has(a) != has(b)": the 1.24 CEL cost estimator puts that over budget (transcript 15).
        Assert.Contains("has(self.template) ? !has(self.staticHosts) : has(self.staticHosts)", CrdYaml.Rules(spec));
        Assert.Contains("self.minHosts <= self.maxHosts", CrdYaml.Rules(CrdYaml.At(spec, "properties", "capacity")));
        var protocols = CrdYaml.At(spec, "properties", "protocols");
        Assert.Contains("self.all(p, self.exists_one(q, q.name == p.name))", CrdYaml.Rules(protocols));
        Assert.Contains(
            "self.all(p, !has(p.gatewayPort) || self.exists_one(q, has(q.gatewayPort) && q.gatewayPort == p.gatewayPort))",
            CrdYaml.Rules(protocols));
        Assert.Contains("self.kind == 'Http' || has(self.gatewayPort)", CrdYaml.Rules(CrdYaml.At(protocols, "items")));
        Assert.Contains("duration(self.timeout) <= duration(self.interval)", CrdYaml.Rules(CrdYaml.At(spec, "properties", "healthCheck")));
        Assert.Contains("self.all(h, self.exists_one(g, g.name == h.name))", CrdYaml.Rules(CrdYaml.At(spec, "properties", "staticHosts")));
        Assert.Equal("map", CrdYaml.Text(spec, "properties", "staticHosts", "x-kubernetes-list-type"));
        Assert.Equal("name", CrdYaml.Text(spec, "properties", "staticHosts", "x-kubernetes-list-map-keys", "0"));
    }

    [Fact]
    public void DesktopPoolCrd_Ports_AreBounded()
    {
        var protocol = CrdYaml.At(CrdYaml.Schema(Pools), "properties", "spec", "properties", "protocols", "items", "properties");
        foreach (var port in new[] { "port", "gatewayPort" })
        {
            Assert.Equal("1", CrdYaml.Text(protocol, port, "minimum"));
            Assert.Equal("65535", CrdYaml.Text(protocol, port, "maximum"));
        }
    }

    [Fact]
    public void SessionRouteCrd_PoolAndUser_AreImmutable()
    {
        var spec = CrdYaml.At(CrdYaml.Schema(Routes), "properties", "spec", "properties");
        Assert.Equal(["self == oldSelf"], CrdYaml.Rules(CrdYaml.At(spec, "pool")));
        Assert.Equal(["self == oldSelf"], CrdYaml.Rules(CrdYaml.At(spec, "user")));
    }

    [Fact]
    public void DesktopPoolCrd_Defaults_AreWrittenFromTheInitializers()
    {
        var spec = CrdYaml.At(CrdYaml.Schema(Pools), "properties", "spec", "properties");
        string Default(params string[] path) => CrdYaml.Text(CrdYaml.At(spec, path), "default");

        Assert.Equal("1", Default("capacity", "properties", "sessionsPerHost"));
        Assert.Equal("1", Default("capacity", "properties", "minHosts"));
        Assert.Equal("10", Default("capacity", "properties", "maxHosts"));
        Assert.Equal("1", Default("capacity", "properties", "bufferSessions"));
        Assert.Equal("5m", Default("capacity", "properties", "scaleDownDelay"));
        Assert.Equal("LeastSessions", Default("balancing", "properties", "strategy"));
        Assert.Equal("User", Default("affinity", "properties", "key"));
        Assert.Equal("8h", Default("affinity", "properties", "resumeFor"));
        Assert.Equal("X-Forwarded-User", Default("affinity", "properties", "userHeader"));
        Assert.Equal("Tcp", Default("healthCheck", "properties", "kind"));
        Assert.Equal("/", Default("healthCheck", "properties", "path"));
        Assert.Equal("2s", Default("healthCheck", "properties", "interval"));
        Assert.Equal("1s", Default("healthCheck", "properties", "timeout"));
        Assert.Equal("2", Default("healthCheck", "properties", "rise"));
        Assert.Equal("3", Default("healthCheck", "properties", "fall"));
        Assert.Equal("1", Default("sessions", "properties", "maxPerUser"));
        Assert.Equal("Queue", Default("sessions", "properties", "whenFull"));
        Assert.Equal("None", Default("protocols", "items", "properties", "proxyProtocol"));
        Assert.Equal("1", Default("staticHosts", "items", "properties", "weight"));
        // An omitted object defaults to the object of its fields' defaults, never {}: the API server checks a default
        // against its object's CEL rules without applying nested defaults first (transcript 15).
        Assert.Equal("10", CrdYaml.Text(spec, "capacity", "default", "maxHosts"));
        Assert.Equal("1s", CrdYaml.Text(spec, "healthCheck", "default", "timeout"));
        Assert.Equal("Queue", CrdYaml.Text(spec, "sessions", "default", "whenFull"));

        // And the C# side, which gives a pool read without the API server (standalone mode) the same values.
        var defaults = new V1Alpha1.DesktopPoolSpec();
        Assert.Equal(
            (1, 1, 10, 1, "5m", "8h", "2s", "1s", 2, 3, 1),
            (defaults.Capacity.SessionsPerHost, defaults.Capacity.MinHosts, defaults.Capacity.MaxHosts, defaults.Capacity.BufferSessions,
             defaults.Capacity.ScaleDownDelay, defaults.Affinity.ResumeFor, defaults.HealthCheck.Interval, defaults.HealthCheck.Timeout,
             defaults.HealthCheck.Rise, defaults.HealthCheck.Fall, defaults.Sessions.MaxPerUser));
    }

    [Fact]
    public void DesktopPoolCrd_Descriptions_ComeFromDocCommentsAsPlainText()
    {
        var spec = CrdYaml.At(CrdYaml.Schema(Pools), "properties", "spec", "properties");
        Assert.Equal("The pod spec (core/v1 PodSpec) of the session hosts.", CrdYaml.Text(spec, "template", "properties", "spec", "description"));
        Assert.Equal("true", CrdYaml.Text(spec, "template", "properties", "spec", "x-kubernetes-preserve-unknown-fields"));
        Assert.Equal("How many sessions one host takes at once.", CrdYaml.Text(spec, "capacity", "properties", "sessionsPerHost", "description"));
    }

    [Fact]
    public void Crds_ValidationRules_HaveOnlyRuleAndAMessageNamingTheirField()
    {
        // fieldPath, messageExpression and reason exist only from 1.27/1.28: kubectl's client-side validation and
        // Helm's server-side apply refuse them on older servers, so the message itself names the field.
        var rules = new List<YamlMappingNode>();
        foreach (var crd in new[] { Pools, Routes })
        {
            CollectRules(CrdYaml.Schema(crd), rules);
        }

        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            Assert.Equal(["message", "rule"], rule.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
            Assert.Matches(@"^spec(\.[A-Za-z]+(\[\])?)*: \S", CrdYaml.Text(rule, "message"));
        }
    }

    private static void CollectRules(YamlNode node, List<YamlMappingNode> rules)
    {
        if (node is YamlMappingNode map)
        {
            foreach (var (key, child) in map.Children)
            {
                if (key.ToString() == "x-kubernetes-validations")
                {
                    rules.AddRange(((YamlSequenceNode)child).Children.Cast<YamlMappingNode>());
                }
                else
                {
                    CollectRules(child, rules);
                }
            }
        }
        else if (node is YamlSequenceNode list)
        {
            foreach (var child in list.Children)
            {
                CollectRules(child, rules);
            }
        }
    }

    [Fact]
    public void Crds_Schemas_AreStructuralAndDescribed()
    {
        foreach (var crd in new[] { Pools, Routes })
        {
            var missing = new List<string>();
            Walk(CrdYaml.Schema(crd), "openAPIV3Schema", missing);
            Assert.Empty(missing);
        }
    }

    private static void Walk(YamlNode schema, string path, List<string> missing)
    {
        var map = (YamlMappingNode)schema;
        if (!map.Children.ContainsKey(new YamlScalarNode("type")))
        {
            missing.Add(path + ": no type");
        }

        if (map.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
        {
            foreach (var (name, child) in ((YamlMappingNode)properties).Children)
            {
                var childPath = $"{path}.{name}";
                // The root metadata must hold nothing but its type: a real API server refuses even a description.
                var isRootMetadata = path == "openAPIV3Schema" && name.ToString() == "metadata";
                if (isRootMetadata)
                {
                    Assert.Equal("type", Assert.Single(((YamlMappingNode)child).Children).Key.ToString());
                }
                else if (!((YamlMappingNode)child).Children.ContainsKey(new YamlScalarNode("description")))
                {
                    missing.Add(childPath + ": no description");
                }

                Walk(child, childPath, missing);
            }
        }

        if (map.Children.TryGetValue(new YamlScalarNode("items"), out var items))
        {
            Walk(items, path + "[]", missing);
        }
    }

    private static List<string> Columns(YamlNode crd) =>
        ((YamlSequenceNode)CrdYaml.At(crd, "spec", "versions", "0", "additionalPrinterColumns")).Children
            .Select(c => $"{CrdYaml.Text(c, "name")}:{CrdYaml.Text(c, "jsonPath")}:" +
                         (((YamlMappingNode)c).Children.TryGetValue(new YamlScalarNode("priority"), out var p) ? ((YamlScalarNode)p).Value : "0"))
            .ToList();

    private static void AssertSameAsCommitted(string path, string generated)
    {
        var committed = File.Exists(path) ? File.ReadAllText(path) : null;
        Assert.True(
            committed == generated,
            $"{Path.GetRelativePath(RepositoryPaths.Root, path)} differs from what the API types generate. Regenerate with:\n" +
            $"  {CrdGenerator.RegenerateCommand}\nand commit the result.");
    }
}
