using System.Runtime.Versioning;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Time;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Config;

/// <summary>kubeconfig <c>exec</c> plugins, run for real as small shell scripts that count their runs.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ExecCredentialTests : IDisposable
{
    // Prints a token naming the run number, its first argument and an env var from the kubeconfig.
    private const string TokenPlugin = """
        #!/bin/sh
        dir="$(dirname "$0")"
        echo run >> "$dir/runs"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info"
        n=$(wc -l < "$dir/runs" | tr -d ' ')
        if [ -n "$EXPIRY" ]; then exp=",\"expirationTimestamp\":\"$EXPIRY\""; else exp=""; fi
        echo "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"tok-$n-$1-$PLUGIN_VAR\"$exp}}"
        """;

    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private int Runs => File.Exists(Path.Combine(_folder.Path, "runs")) ? File.ReadAllLines(Path.Combine(_folder.Path, "runs")).Length : 0;

    [Fact]
    public async Task Exec_TokenWithExpiry_IsCachedUntilExpiryThenTheCommandRunsAgain()
    {
        await using var server = await TestApiServer.StartNewAsync();
        using var client = ClientFor(server.BaseAddress, expiry: "2026-01-01T00:10:00Z");

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        Assert.Equal(1, Runs);

        _time.Advance(TimeSpan.FromMinutes(11));
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal(2, Runs);
        Assert.Equal(["Bearer tok-1-first-from-env", "Bearer tok-1-first-from-env", "Bearer tok-2-first-from-env"], server.Requests.Snapshot().Select(r => r.Authorization));
        Assert.Equal("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}""",
            File.ReadAllText(Path.Combine(_folder.Path, "exec-info")));
    }

    [Fact]
    public async Task Exec_ConcurrentFirstRequests_RunTheCommandOnce()
    {
        await using var server = await TestApiServer.StartNewAsync();
        using var client = ClientFor(server.BaseAddress, expiry: "2026-01-01T00:10:00Z");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync<V1Namespace>("default", null, CancellationToken.None)));

        Assert.Equal(1, Runs);
        Assert.Equal(8, server.Requests.Snapshot().Count);
        Assert.All(server.Requests.Snapshot(), r => Assert.Equal("Bearer tok-1-first-from-env", r.Authorization));
    }

    [Fact]
    public async Task Exec_TokenWithoutExpiryRefusedWith401_RunsOnceMoreAndRetries()
    {
        await using var server = await TestApiServer.StartNewAsync(o => o.BearerToken = "tok-2-first-from-env"); // the first run's token is refused
        using var client = ClientFor(server.BaseAddress, expiry: "");

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal(2, Runs);
        Assert.Equal(["Bearer tok-1-first-from-env", "Bearer tok-2-first-from-env", "Bearer tok-2-first-from-env"], server.Requests.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public async Task Exec_Always401_RerunsOnlyOnceThenThrowsUnauthorized()
    {
        await using var server = await TestApiServer.StartNewAsync(o => o.BearerToken = "never-issued"); // every token is refused
        using var client = ClientFor(server.BaseAddress, expiry: "");

        await Assert.ThrowsAsync<KubeUnauthorizedException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Equal(2, Runs);
        Assert.Equal(2, server.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task Exec_ClientCertificate_IsPresentedInTheTlsHandshake()
    {
        using var certs = TestCertificates.Create();
        await using var server = await StartTlsServerAsync(certs, certs.Server);
        var credential = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
            ["kind"] = "ExecCredential",
            ["status"] = new System.Text.Json.Nodes.JsonObject
            {
                ["clientCertificateData"] = certs.EcClient.ExportCertificatePem(),
                ["clientKeyData"] = TestCertificates.KeyPem(certs.EcClient),
            },
        };
        _folder.Write("cred.json", credential.ToJsonString());
        _folder.WriteScript("plugin.sh", "#!/bin/sh\necho run >> \"$(dirname \"$0\")/runs\"\ncat \"$(dirname \"$0\")/cred.json\"\n");
        var path = _folder.Write("config", $"""
            current-context: c
            clusters: [{"{"}name: k, cluster: {"{"}server: "{server.BaseAddress}", certificate-authority-data: {KubeConfigTlsTests.B64(certs.CaPem)}{"}"}{"}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: k, user: u{"}"}{"}"}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: ./plugin.sh
            """);
        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), time: _time);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal("ec-user", server.Requests.Snapshot()[^1].User);
        Assert.Null(server.Requests.Snapshot()[0].Authorization);
        Assert.Equal(1, Runs);
    }

    [Fact]
    public async Task Exec_UnderThePackagesVerbs_401RunsThePluginOnceMoreAndRetries()
    {
        await using var server = await TestApiServer.StartNewAsync(o => o.BearerToken = "tok-2-first-from-env"); // the first run's token is refused
        _folder.WriteScript("plugin.sh", TokenPlugin);
        using var kube = KubernetesFactory.Create(Config(server.BaseAddress, "./plugin.sh", ""), timeProvider: _time);

        var read = await kube.CoreV1.ReadNamespaceAsync("default");

        Assert.Equal("default", read.Metadata.Name);
        Assert.Equal(2, Runs);
        Assert.Equal(["Bearer tok-1-first-from-env", "Bearer tok-2-first-from-env"], server.Requests.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public async Task Exec_ClientCertificateWithTlsServerName_UnderThePackagesVerbs_IsPresentedOverTheNamedHandshake()
    {
        using var certs = TestCertificates.Create();
        using var internalName = certs.IssueServerFor("api.internal");
        await using var server = await StartTlsServerAsync(certs, internalName);
        var credential = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["kind"] = "ExecCredential",
            ["status"] = new System.Text.Json.Nodes.JsonObject
            {
                ["clientCertificateData"] = certs.RsaClient.ExportCertificatePem(),
                ["clientKeyData"] = TestCertificates.KeyPem(certs.RsaClient),
            },
        };
        _folder.Write("cred.json", credential.ToJsonString());
        _folder.WriteScript("cert-plugin.sh", "#!/bin/sh\ncat \"$(dirname \"$0\")/cred.json\"\n");
        var settings = Config(server.BaseAddress, "./cert-plugin.sh", "", clusterExtra: $", certificate-authority-data: {KubeConfigTlsTests.B64(certs.CaPem)}, tls-server-name: api.internal");
        using var kube = KubernetesFactory.Create(settings, timeProvider: _time);

        await kube.CoreV1.ReadNamespaceAsync("default");

        Assert.Equal("rsa-user", server.Requests.Snapshot()[^1].User);
        Assert.All(server.TlsServerNames, name => Assert.Equal("api.internal", name));
        Assert.NotEmpty(server.TlsServerNames);
        Assert.Null(server.Requests.Snapshot()[0].Authorization);
    }

    [Fact]
    public async Task Exec_CommandFails_ThrowsKubeConfigExceptionWithItsStderrAndHint()
    {
        await using var server = await TestApiServer.StartNewAsync();
        _folder.WriteScript("plugin.sh", "#!/bin/sh\necho 'login required' >&2\nexit 3\n");
        using var client = TestClient.For(Config(server.BaseAddress, "./plugin.sh", ""), time: _time);

        var error = await Assert.ThrowsAsync<KubeConfigException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Contains("exited with code 3: login required", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests.Snapshot());
    }

    [Fact]
    public async Task Exec_CommandMissing_ThrowsKubeConfigExceptionWithInstallHint()
    {
        await using var server = await TestApiServer.StartNewAsync();
        using var client = TestClient.For(Config(server.BaseAddress, "./not-there.sh", ""), time: _time);

        var error = await Assert.ThrowsAsync<KubeConfigException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Contains("could not be started", error.Message, StringComparison.Ordinal);
        Assert.Contains("install the plugin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_PrintsWrongApiVersion_ThrowsKubeConfigException()
    {
        await using var server = await TestApiServer.StartNewAsync();
        _folder.WriteScript("plugin.sh", "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\"}}'\n");
        using var client = TestClient.For(Config(server.BaseAddress, "./plugin.sh", ""), time: _time);

        var error = await Assert.ThrowsAsync<KubeConfigException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Contains("printed apiVersion 'client.authentication.k8s.io/v1beta1', expected 'client.authentication.k8s.io/v1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_ArgumentsWithSpacesAndQuotes_ReachThePluginIntact()
    {
        await using var server = await TestApiServer.StartNewAsync();
        _folder.WriteScript("plugin.sh", """
            #!/bin/sh
            printf '%s\n' "$#" "$@" > "$(dirname "$0")/args"
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'
            """);
        using var client = TestClient.For(Config(server.BaseAddress, "./plugin.sh", "", args: """["two words", " padded ", "it's \"quoted\"", ""]"""), time: _time);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal(["4", "two words", " padded ", "it's \"quoted\"", ""], File.ReadAllLines(Path.Combine(_folder.Path, "args")));
        Assert.Equal("Bearer t", server.Requests.Snapshot()[0].Authorization);
    }

    [Theory]
    [InlineData(",\"kind\":\"Secret\"", "printed kind 'Secret', expected 'ExecCredential'")]
    [InlineData("", "printed no kind, expected 'ExecCredential'")]
    public async Task Exec_PrintsAnotherKind_ThrowsKubeConfigExceptionNamingTheKind(string kindField, string expected)
    {
        await using var server = await TestApiServer.StartNewAsync();
        _folder.WriteScript("plugin.sh", "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\"" + kindField + ",\"status\":{\"token\":\"x\"}}'\n");
        using var client = TestClient.For(Config(server.BaseAddress, "./plugin.sh", ""), time: _time);

        var error = await Assert.ThrowsAsync<KubeConfigException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests.Snapshot());
    }

    [Fact]
    public async Task Exec_ProvideClusterInfo_PutsTheClusterIntoKubernetesExecInfo()
    {
        using var certs = TestCertificates.Create();
        await using var server = await TestApiServer.StartNewAsync();
        var caData = KubeConfigTlsTests.B64(certs.CaPem);
        _folder.WriteScript("plugin.sh", TokenPlugin);
        using var client = TestClient.For(
            Config(server.BaseAddress, "./plugin.sh", "", clusterExtra: $", certificate-authority-data: {caData}, tls-server-name: api.internal", execExtra: "\n      provideClusterInfo: true"),
            time: _time);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        using var info = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "exec-info")));
        var spec = info.RootElement.GetProperty("spec");
        Assert.Equal("ExecCredential", info.RootElement.GetProperty("kind").GetString());
        Assert.Equal(server.BaseAddress.ToString(), spec.GetProperty("cluster").GetProperty("server").GetString());
        Assert.Equal(caData, spec.GetProperty("cluster").GetProperty("certificate-authority-data").GetString());
        Assert.Equal("api.internal", spec.GetProperty("cluster").GetProperty("tls-server-name").GetString());
        Assert.False(spec.GetProperty("interactive").GetBoolean());
    }

    public void Dispose() => _folder.Dispose();

    private KubernetesClient ClientFor(Uri server, string expiry)
    {
        _folder.WriteScript("plugin.sh", TokenPlugin);
        return TestClient.For(Config(server, "./plugin.sh", expiry), time: _time);
    }

    private KubeClientSettings Config(Uri server, string command, string expiry, string args = "[first, second]", string clusterExtra = "", string execExtra = "") =>
        KubeClientSettings.BuildConfigFromConfigFile(_folder.Write("config", $"""
            current-context: c
            clusters: [{"{"}name: k, cluster: {"{"}server: "{server}"{clusterExtra}{"}"}{"}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: k, user: u{"}"}{"}"}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {command}
                  args: {args}{execExtra}
                  env:
                  - name: PLUGIN_VAR
                    value: from-env
                  - name: EXPIRY
                    value: "{expiry}"
                  installHint: install the plugin with your package manager
                  interactiveMode: Never
            """));

    /// <summary>The test API server over HTTPS, <paramref name="certs"/>' CA its cluster CA; only client certificates of it authenticate.</summary>
    private static Task<TestApiServer> StartTlsServerAsync(TestCertificates certs, System.Security.Cryptography.X509Certificates.X509Certificate2 servingCertificate) =>
        TestApiServer.StartNewAsync(o =>
        {
            o.Tls = new TestApiServerTls { CertificateAuthority = certs.Authority, ServingCertificate = servingCertificate };
            o.AnonymousAuth = false;
        });
}
