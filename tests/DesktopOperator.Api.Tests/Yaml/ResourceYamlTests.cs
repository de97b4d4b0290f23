using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Yaml;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Tests.Yaml;

public sealed class ResourceYamlTests
{
    private const string Pool = """
        apiVersion: desktop-operator.io/v1alpha1
        kind: DesktopPool
        metadata:
          name: x2go
        spec:
          staticHosts:
            - name: h1
              address: 10.0.0.1
          protocols:
            - name: ssh
              kind: Ssh
              port: 22
              gatewayPort: 2222
        """;

    private const string Route = """
        apiVersion: desktop-operator.io/v1alpha1
        kind: SessionRoute
        metadata:
          name: x2go-bob
        spec:
          pool: x2go
          user: bob
        """;

    [Fact]
    public void LoadAll_MultiDocumentFile_ReturnsEachKnownKindInOrder()
    {
        var text = $"# leading comment\n---\n{Pool}\n---\n# an empty document\n---\n{Route}\n---\n";

        var objects = ResourceYaml.LoadAll(text, "all.yaml");

        Assert.Collection(
            objects,
            o => Assert.Equal("x2go", Assert.IsType<DesktopPool>(o).Metadata.Name),
            o => Assert.Equal("bob", Assert.IsType<SessionRoute>(o).Spec.User));
    }

    [Fact]
    public void ReadDocuments_SecondDocument_KnowsItsLine()
    {
        var documents = ResourceYaml.ReadDocuments($"{Pool}\n---\n{Route}", "all.yaml");
        Assert.Equal([1L, 15L], documents.Select(d => d.Line));
        Assert.Equal("SessionRoute", documents[1].Kind);
    }

    [Fact]
    public void Load_OmittedSections_GetTheDefaults()
    {
        var pool = ResourceYaml.Load<DesktopPool>(Pool, "pool.yaml");

        Assert.Equal(1, pool.Spec.Capacity.SessionsPerHost);
        Assert.Equal("8h", pool.Spec.Affinity.ResumeFor);
        Assert.Equal(BalancingStrategy.LeastSessions, pool.Spec.Balancing.Strategy);
        Assert.Equal(1, pool.Spec.StaticHosts![0].Weight);
        Assert.Equal(ProtocolKind.Ssh, pool.Spec.Protocols[0].Kind);
        Assert.Null(pool.Status);
    }

    [Fact]
    public void Load_Json_IsReadToo()
    {
        var json = """{"apiVersion":"desktop-operator.io/v1alpha1","kind":"SessionRoute","metadata":{"name":"r"},"spec":{"pool":"p","user":"u"}}""";
        Assert.Equal("u", ResourceYaml.Load<SessionRoute>(json, "route.json").Spec.User);
    }

    [Theory]
    [InlineData("\"true\"", "true")]
    [InlineData("yes", "yes")]
    [InlineData("'0123'", "0123")]
    [InlineData("!!str 42", "42")]
    public void Load_StringScalars_StayStrings(string yamlValue, string expected)
    {
        var route = ResourceYaml.Load<SessionRoute>(Route.Replace("user: bob", "user: " + yamlValue), "route.yaml");
        Assert.Equal(expected, route.Spec.User);
    }

    [Fact]
    public void Load_PodTemplate_IsKeptAsJson()
    {
        var text = Pool.Replace(
            "  staticHosts:\n    - name: h1\n      address: 10.0.0.1\n",
            "  template:\n    spec:\n      containers:\n        - name: desktop\n          image: xrdp:1\n          ports: [{containerPort: 3389}]\n");

        var pool = ResourceYaml.Load<DesktopPool>(text, "pool.yaml");

        var container = pool.Spec.Template!.Spec!.Value.GetProperty("containers")[0];
        Assert.Equal("xrdp:1", container.GetProperty("image").GetString());
        Assert.Equal(3389, container.GetProperty("ports")[0].GetProperty("containerPort").GetInt32());
    }

    [Fact]
    public void ReadDocuments_BadYaml_ReportsLine()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.ReadDocuments("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"));
        Assert.Equal("bad.yaml", error.SourceName);
        Assert.InRange(error.Line, 2, 4);
        Assert.StartsWith($"bad.yaml:{error.Line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: 1\nb: {x: 1\n")]
    [InlineData("a: 'unterminated\n")]
    [InlineData("a:\n  - b\n c: d\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: *missing\n")]
    public void ReadDocuments_MalformedYaml_ThrowsResourceYamlException(string text)
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.ReadDocuments(text, "bad.yaml"));
        Assert.StartsWith("bad.yaml:", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 1, error.Message);
    }

    [Fact]
    public void ReadDocuments_AliasBomb_FailsInsteadOfExpanding()
    {
        // Each level doubles ten times: 10^9 values if expanded.
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat("*" + (char)('a' + i - 1), 10))}]\n"));

        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.ReadDocuments(text, "bomb.yaml"));

        Assert.Contains("more than 100000 values", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200_000)]
    [InlineData(101)]
    public void ReadDocuments_DeepNesting_FailsInsteadOfOverflowingTheStack(int depth)
    {
        var text = "a: " + new string('[', depth) + new string(']', depth) + "\n";

        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.ReadDocuments(text, "deep.yaml"));

        Assert.Equal("deep.yaml:1:103: nested more than 100 levels deep", error.Message);
    }

    [Fact]
    public void ReadDocuments_NestingAtTheLimit_IsRead()
    {
        var text = "a: " + new string('[', 99) + new string(']', 99) + "\n";
        Assert.Single(ResourceYaml.ReadDocuments(text, "deep.yaml"));
    }

    [Fact]
    public void ReadDocuments_Aliases_AreExpanded()
    {
        var document = ResourceYaml.ReadDocuments("base: &b {x: 1}\ncopy: *b\n", "alias.yaml").Single();
        Assert.Equal(1L, (long)document.Json!["copy"]!["x"]!);
    }

    [Fact]
    public void ReadDocuments_DuplicateKey_ReportsLine()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.ReadDocuments(Route + "\n  user: eve\n", "dup.yaml"));
        Assert.Equal(8, error.Line);
        Assert.Contains("Duplicate key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownEnumValue_ReportsFieldLineAndChoices()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<DesktopPool>(Pool.Replace("kind: Ssh", "kind: Sssh"), "pool.yaml"));
        Assert.Equal("pool.yaml:11:13: spec.protocols[0].kind: 'Sssh' is not one of Rdp, Vnc, Ssh, Http, Tcp", error.Message);
    }

    [Fact]
    public void Load_WrongScalarType_ReportsFieldAndLine()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<DesktopPool>(Pool.Replace("port: 22", "port: ssh"), "pool.yaml"));
        Assert.Equal("pool.yaml:12:13: spec.protocols[0].port: 'ssh' is not an integer", error.Message);
    }

    [Fact]
    public void Load_ListWhereMappingExpected_ReportsField()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<DesktopPool>(Pool + "\n  capacity: [1]\n", "pool.yaml"));
        Assert.Equal(14, error.Line);
        Assert.EndsWith("spec.capacity: a list is not a mapping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MisspelledField_ReportsUnknownField()
    {
        var error = Assert.Throws<ResourceYamlException>(() =>
            ResourceYaml.Load<DesktopPool>(Pool + "\n  capacity:\n    sesionsPerHost: 4\n", "pool.yaml"));
        Assert.Equal("pool.yaml:15:5: spec.capacity.sesionsPerHost: unknown field", error.Message);
    }

    [Fact]
    public void Load_WrongCaseField_ReportsUnknownField()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<SessionRoute>(Route.Replace("user:", "User:"), "route.yaml"));
        Assert.Contains("spec.User: unknown field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NumberAsString_ReportsType()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<DesktopPool>(Pool.Replace("port: 22", "port: '22'"), "pool.yaml"));
        Assert.EndsWith("spec.protocols[0].port: '22' is not an integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManagedFields_IsKept()
    {
        var route = ResourceYaml.Load<SessionRoute>(Route.Replace("  name: x2go-bob", "  name: x2go-bob\n  managedFields: []"), "route.yaml");
        Assert.NotNull(route.Metadata.ManagedFields);
    }

    [Fact]
    public void Load_MissingRequiredKind_ReportsField()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<DesktopPool>(Pool.Replace("      kind: Ssh\n", ""), "pool.yaml"));
        Assert.Equal(10, error.Line);
        Assert.Contains("spec.protocols[0]: missing required field 'kind'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_UnknownKind_ReportsKindAndLine()
    {
        var error = Assert.Throws<ResourceYamlException>(() =>
            ResourceYaml.LoadAll($"{Route}\n---\napiVersion: v1\nkind: ConfigMap\n", "mixed.yaml"));
        Assert.Equal(9, error.Line);
        Assert.Contains("unknown kind 'ConfigMap' of apiVersion 'v1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoDocuments_ReportsCount()
    {
        var error = Assert.Throws<ResourceYamlException>(() => ResourceYaml.Load<SessionRoute>($"{Route}\n---\n{Route}", "two.yaml"));
        Assert.Contains("expected one document, found 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Pool_UsesCamelCaseStringEnumsAndDurationStrings()
    {
        var pool = ResourceYaml.Load<DesktopPool>(Pool, "pool.yaml");
        pool.Status = new DesktopPoolStatus
        {
            ReadyHosts = 1,
            Conditions = [new V1Condition { Type = ConditionTypes.Ready, Status = "True", Reason = ConditionReasons.HostsReady }],
        };

        var json = KubernetesJson.Serialize(pool);

        Assert.Contains("\"apiVersion\":\"desktop-operator.io/v1alpha1\",\"kind\":\"DesktopPool\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Ssh\"", json, StringComparison.Ordinal);
        Assert.Contains("\"gatewayPort\":2222", json, StringComparison.Ordinal);
        Assert.Contains("\"scaleDownDelay\":\"5m\"", json, StringComparison.Ordinal);
        Assert.Contains("\"strategy\":\"LeastSessions\"", json, StringComparison.Ordinal);
        Assert.Contains("\"readyHosts\":1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"template\"", json, StringComparison.Ordinal);
        var back = KubernetesJson.Deserialize<DesktopPool>(json);
        Assert.Equal("True", back.Status!.Conditions![0].Status);
    }
}
