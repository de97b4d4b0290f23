using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Controllers.Tests.Integration;

/// <summary>
/// Every rule of <c>DesktopPoolValidator</c> (field rules from the schema attributes, the cross-field rules, metadata),
/// one row each: a pool breaking it is either refused by the API server at create (the CRD's schema or CEL holds the
/// same rule; the refusal must name the field), or admitted and then marked by the controller with Ready=False,
/// reason InvalidSpec, a message naming the field path, and a Warning event naming it. The row says which; rows the
/// test API server admits although a real one refuses them (<see cref="AdmittedHere"/>) prove the condition path.
/// </summary>
public sealed class InvalidPoolTests
{
    private const string Admission = "admission";
    private const string Condition = "condition";

    /// <summary>
    /// A real API server refuses it (a CEL macro or <c>duration()</c>, or list-type uniqueness), but the test API server
    /// skips those checks (KNOWN-DIFFERENCES.md: CEL, list types), so here it reaches the operator: asserted as a condition.
    /// </summary>
    private const string AdmittedHere = "admitted by the test API server only";
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>(rule, where it is enforced, the field path the answer must name, how to break it).</summary>
    private static readonly (string Rule, string Where, string Field, Action<JsonObject> Break)[] Rules =
    [
        // Field rules (FieldRules: from the same attributes the CRD generator reads).
        ("required", Admission, "spec.protocols", p => Spec(p).Remove("protocols")),
        ("length", Admission, "spec.protocols[0].name", p => Protocol(p)["name"] = new string('a', 64)),
        ("pattern", Admission, "spec.protocols[0].name", p => Protocol(p)["name"] = "Bad_Name"),
        ("duration", Condition, "spec.capacity.scaleDownDelay", p => Capacity(p)["scaleDownDelay"] = "99999999999999h"),
        ("range", Admission, "spec.capacity.sessionsPerHost", p => Capacity(p)["sessionsPerHost"] = 0),
        ("enum", Admission, "spec.protocols[0].kind", p => Protocol(p)["kind"] = "Telnet"),
        ("object", Admission, "spec.template.spec", p => Spec(p)["template"] = new JsonObject { ["spec"] = "x" }),
        ("min items", Admission, "spec.protocols", p => Spec(p)["protocols"] = new JsonArray()),
        ("null item", Admission, "spec.protocols[0]", p => Spec(p)["protocols"] = new JsonArray((JsonNode?)null)),
        ("list-map key unique", AdmittedHere, "spec.protocols[1].name", p => Protocols(p).Add(JsonNode.Parse("""{"name":"rdp","kind":"Rdp","port":3390,"gatewayPort":3390}"""))),
        ("list-set value unique", AdmittedHere, "spec.access.users[1]", p => Spec(p)["access"] = JsonNode.Parse("""{"users":["alice","alice"]}""")),

        // Cross-field rules (DesktopPoolValidator).
        ("template or staticHosts: neither", Admission, "spec", p => Spec(p).Remove("template")),
        ("template or staticHosts: both", Admission, "spec", p => Spec(p)["staticHosts"] = JsonNode.Parse("""[{"name":"ts-1","address":"10.0.0.1"}]""")),
        ("Http: no gatewayPort", Admission, "gatewayPort", p => Spec(p)["protocols"] = JsonNode.Parse("""[{"name":"web","kind":"Http","port":80,"path":"/","gatewayPort":8080}]""")),
        ("Http: path or hostname", Admission, "path or a hostname", p => Spec(p)["protocols"] = JsonNode.Parse("""[{"name":"web","kind":"Http","port":80}]""")),
        ("Http: no proxyProtocol", Admission, "proxyProtocol", p => Spec(p)["protocols"] = JsonNode.Parse("""[{"name":"web","kind":"Http","port":80,"path":"/","proxyProtocol":"V2"}]""")),
        ("TCP kinds: gatewayPort required", Admission, "gatewayPort", p => Protocol(p).Remove("gatewayPort")),
        ("TCP kinds: no path or hostname", Admission, "path and hostname", p => Protocol(p)["path"] = "/x"),
        ("clientLockout: Vnc only", Admission, "clientLockout", p => Protocol(p)["clientLockout"] = new JsonObject()),
        ("gateway ports unique", AdmittedHere, "spec.protocols[1].gatewayPort", p => Protocols(p).Add(JsonNode.Parse("""{"name":"rdp2","kind":"Rdp","port":3390,"gatewayPort":3389}"""))),
        ("minHosts <= maxHosts", Admission, "spec.capacity", p => (Capacity(p)["minHosts"], Capacity(p)["maxHosts"]) = (3, 2)),
        ("healthCheck.protocol names a protocol", AdmittedHere, "spec.healthCheck.protocol", p => Spec(p)["healthCheck"] = JsonNode.Parse("""{"protocol":"nope"}""")),
        ("healthCheck.timeout <= interval", AdmittedHere, "spec.healthCheck.timeout", p => Spec(p)["healthCheck"] = JsonNode.Parse("""{"timeout":"10s","interval":"5s"}""")),
        ("vnc: VncAuth needs passwordFile", Admission, "spec.healthCheck.vnc.passwordFile", p => Spec(p)["healthCheck"] = JsonNode.Parse("""{"kind":"Tcp","vnc":{"security":"VncAuth"}}""")),
        ("vnc: passwordFile with VncAuth only", Admission, "spec.healthCheck.vnc.passwordFile", p => Spec(p)["healthCheck"] = JsonNode.Parse("""{"kind":"Tcp","vnc":{"security":"None","passwordFile":"/p"}}""")),
        ("vnc: required for a Protocol check of Vnc", Condition, "spec.healthCheck.vnc", p =>
        {
            Spec(p)["protocols"] = JsonNode.Parse("""[{"name":"vnc","kind":"Vnc","port":5901,"gatewayPort":5900}]""");
            Spec(p)["healthCheck"] = JsonNode.Parse("""{"kind":"Protocol"}""");
        }),

        // Metadata (MetadataRules; metadata.namespace cannot be broken through a server: the URL names a namespace that exists).
        ("metadata.name DNS-1123 subdomain", Admission, "metadata.name", p => p["metadata"]!["name"] = "Bad_Name"),
    ];

    [Fact]
    public async Task EveryValidationRule_RefusedAtAdmissionOrReadyFalseInvalidSpecWithFieldPathAndWarningEvent()
    {
        await using var cluster = await PoolCluster.StartAsync();
        using var http = cluster.Server.CreateClient();
        var control = await http.PostAsync($"apis/{ApiGroup.Group}/{ApiGroup.Version}/namespaces/{PoolCluster.Namespace}/desktoppools",
            new StringContent(Valid("valid").ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, control.StatusCode); // The rows below break one rule each of a pool the server takes.
        var mismatches = new List<string>();
        for (var i = 0; i < Rules.Length; i++)
        {
            var (rule, where, field, breakIt) = Rules[i];
            var name = $"invalid-{i}";
            var pool = Valid(name);
            breakIt(pool);
            var response = await http.PostAsync($"apis/{ApiGroup.Group}/{ApiGroup.Version}/namespaces/{PoolCluster.Namespace}/desktoppools",
                new StringContent(pool.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var refused = response.StatusCode == HttpStatusCode.UnprocessableEntity;
            if (where == Admission)
            {
                if (!refused || !body.Contains(field, StringComparison.Ordinal))
                {
                    mismatches.Add($"{rule}: expected 422 naming '{field}', got {(int)response.StatusCode} {body}");
                }

                continue;
            }

            if (response.StatusCode != HttpStatusCode.Created)
            {
                mismatches.Add($"{rule}: expected the server to admit it (only the operator checks it), got {(int)response.StatusCode} {body}");
                continue;
            }

            await AssertMarkedInvalidAsync(cluster, name, field);
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static async Task AssertMarkedInvalidAsync(PoolCluster cluster, string name, string field)
    {
        DesktopPool? pool = null;
        await Eventually.TrueAsync(
            async () => (pool = await cluster.FindPoolAsync(name))?.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready) == true,
            $"{name}: a Ready condition", Ct, TimeSpan.FromSeconds(30));
        var ready = pool!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.InvalidSpec), (ready.Status, ready.Reason));
        Assert.Contains(field + ":", ready.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () => (await cluster.EventsAsync()).Any(e => e.InvolvedObject.Name == name && e.Type == "Warning"
                && e.Reason == ConditionReasons.InvalidSpec && e.Message.Contains(field + ":", StringComparison.Ordinal)),
            $"{name}: a Warning event naming {field}", Ct, TimeSpan.FromSeconds(30));
        Assert.Empty(await cluster.HostsAsync(name));
    }

    private static JsonObject Valid(string name) => JsonNode.Parse("""
        {"apiVersion":"API_VERSION","kind":"DesktopPool","metadata":{"name":"NAME","namespace":"NAMESPACE"},
         "spec":{"template":{"spec":{"containers":[{"name":"desktop","image":"example/xrdp:1"}]}},
                 "protocols":[{"name":"rdp","kind":"Rdp","port":3389,"gatewayPort":3389}],
                 "capacity":{"minHosts":0,"maxHosts":2,"bufferSessions":0}}}
        """.Replace("API_VERSION", ApiGroup.GroupVersion, StringComparison.Ordinal).Replace("NAMESPACE", PoolCluster.Namespace, StringComparison.Ordinal).Replace("NAME", name, StringComparison.Ordinal))!.AsObject();

    private static JsonObject Spec(JsonObject pool) => pool["spec"]!.AsObject();

    private static JsonArray Protocols(JsonObject pool) => Spec(pool)["protocols"]!.AsArray();

    private static JsonObject Protocol(JsonObject pool) => Protocols(pool)[0]!.AsObject();

    private static JsonObject Capacity(JsonObject pool) => Spec(pool)["capacity"]!.AsObject();
}
