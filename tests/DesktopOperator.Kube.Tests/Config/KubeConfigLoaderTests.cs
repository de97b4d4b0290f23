using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Config;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        preferences: {}
        current-context: first   # comments are fine
        clusters:
        - name: one
          cluster:
            server: https://one.example:6443
        - name: two
          cluster:
            server: 'http://127.0.0.1:8080/prefix'
        contexts:
        - name: first
          context:
            cluster: one
            user: alice
        - name: second
          context:
            cluster: two
            user: bob
            namespace: "team-b"
        users:
        - name: alice
          user:
            token: alice-token
        - name: bob
          user:
            tokenFile: tokens/bob
        """;

    private readonly TempFolder _folder = new();

    [Fact]
    public void BuildConfigFromConfigFile_NoContextNamed_UsesCurrentContext()
    {
        _folder.Write("tokens/bob", "bob-token\n");
        var config = KubeClientSettings.BuildConfigFromConfigFile(_folder.Write("config", TwoContexts));

        Assert.Equal(new Uri("https://one.example:6443"), config.Host);
        Assert.Equal("alice-token", config.AccessToken);
        Assert.Null(config.TokenFile);
        Assert.Null(config.Namespace);
        Assert.Equal("first", config.CurrentContext);
    }

    [Fact]
    public void BuildConfigFromConfigFile_NamedContext_UsesItsClusterUserAndNamespace()
    {
        _folder.Write("tokens/bob", "bob-token\n");
        var config = KubeClientSettings.BuildConfigFromConfigFile(_folder.Write("config", TwoContexts), "second");

        Assert.Equal(new Uri("http://127.0.0.1:8080/prefix"), config.Host);
        Assert.Null(config.AccessToken);
        Assert.Equal(Path.Combine(_folder.Path, "tokens", "bob"), config.TokenFile);
        Assert.Equal("team-b", config.Namespace);
    }

    [Fact]
    public async Task TokenFile_IsSentAsBearerToken()
    {
        await using var server = await TestApiServer.StartNewAsync(o => o.BearerToken = "bob-token");
        _folder.Write("tokens/bob", "bob-token\n");
        var config = KubeClientSettings.BuildConfigFromConfigFile(_folder.Write("config", TwoContexts.Replace("http://127.0.0.1:8080/prefix", server.BaseAddress.ToString(), StringComparison.Ordinal)), "second");
        using var client = TestClient.For(config);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal("Bearer bob-token", Assert.Single(server.Requests.Snapshot()).Authorization);
    }

    [Fact]
    public void DefaultKubeConfigPath_KubeconfigWithSeveralPaths_TakesTheFirst()
    {
        var path = KubeClientSettings.DefaultKubeConfigPath(name => name == "KUBECONFIG" ? $"/a/first{Path.PathSeparator}/b/second" : null);

        Assert.Equal("/a/first", path);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "", "", "the file is empty" },
        { "clusters: [\n  - name: x\n", "", "not valid YAML at line" },
        { "- just\n- a list\n", "", "the top level is not a mapping" },
        { "clusters: []\ncontexts: []\n", "current-context", "is not set" },
        { "current-context: nope\ncontexts: []\n", "current-context", "no entry named 'nope' in contexts" },
        { "current-context: c\ncontexts: {c: 1}\n", "contexts", "expected a list" },
        { "current-context: c\ncontexts:\n- name: c\n", "contexts[0].context", "is missing" },
        { "current-context: c\ncontexts:\n- name: c\n  context: {user: u}\n", "contexts[0].context.cluster", "is missing or empty" },
        { "current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: other\n  cluster: {server: https://x}\n", "contexts[0].context.cluster", "no entry named 'k' in clusters" },
        { Ctx("{}"), "clusters[0].cluster.server", "is missing or empty" },
        { Ctx("{server: 'not a url'}"), "clusters[0].cluster.server", "'not a url' is not an absolute http(s) URL" },
        { Ctx("{server: 'ftp://x'}"), "clusters[0].cluster.server", "is not an absolute http(s) URL" },
        { Ctx("{server: 'https://x', certificate-authority-data: '%%%'}"), "clusters[0].cluster.certificate-authority-data", "is not valid base64" },
        { Ctx("{server: 'https://x', certificate-authority-data: 'aGVsbG8='}"), "clusters[0].cluster.certificate-authority-data", "holds no PEM certificate" },
        { Ctx("{server: 'https://x', certificate-authority: missing/ca.crt}"), "clusters[0].cluster.certificate-authority", "cannot read file" },
        { Ctx("{server: 'https://x', insecure-skip-tls-verify: maybe}"), "clusters[0].cluster.insecure-skip-tls-verify", "expected true or false, found 'maybe'" },
        { Ctx("{server: 'https://x'}", user: "ghost"), "contexts[0].context.user", "no entry named 'ghost' in users" },
        { Ctx("{server: 'https://x'}", userBody: "{client-certificate: nope.crt, client-key: nope.key}"), "users[1].user.client-certificate", "cannot read file" },
        { Ctx("{server: 'https://x'}", userBody: "{client-certificate-data: " + KubeConfigTlsTests.B64(Pem.Cert) + "}"), "users[1].user.client-key-data", "is missing" },
        { Ctx("{server: 'https://x'}", userBody: "{client-key-data: " + KubeConfigTlsTests.B64(Pem.EcKey) + "}"), "users[1].user.client-certificate-data", "is missing" },
        { Ctx("{server: 'https://x'}", userBody: "{client-certificate-data: " + KubeConfigTlsTests.B64(Pem.Cert) + ", client-key-data: " + KubeConfigTlsTests.B64(Pem.OtherEcKey) + "}"), "users[1].user.client-key-data", "the key cannot be used with users[1].user.client-certificate-data" },
        { Ctx("{server: 'https://x'}", userBody: "{client-certificate-data: " + KubeConfigTlsTests.B64(Pem.Cert) + ", client-key-data: " + KubeConfigTlsTests.B64("garbage") + "}"), "users[1].user.client-key-data", "holds no PEM private key" },
        { Ctx("{server: 'https://x'}", userBody: "{tokenFile: /nonexistent/token}"), "users[1].user.tokenFile", "file '/nonexistent/token' does not exist" },
        { Ctx("{server: 'https://x'}", userBody: "{exec: {apiVersion: client.authentication.k8s.io/v1}}"), "users[1].user.exec.command", "is missing or empty" },
        { Ctx("{server: 'https://x'}", userBody: "{exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}"), "users[1].user.exec.apiVersion", "'client.authentication.k8s.io/v1alpha1' is not supported" },
        { Ctx("{server: 'https://x'}", userBody: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: x, env: [{value: v}]}}"), "users[1].user.exec.env[0].name", "is missing" },
        { Ctx("{server: 'https://x'}", userBody: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: x, args: [[nested]]}}"), "users[1].user.exec.args[0]", "expected a string" },
        { Ctx("{server: 'https://x'}", userBody: "{auth-provider: {name: gcp}}"), "users[1].user.auth-provider", "is not supported" },
        { Ctx("{server: 'https://x'}", userBody: "[a, b]"), "users[1].user", "expected a mapping" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void BuildConfigFromConfigFile_Malformed_MessageNamesFileFieldAndProblem(string yaml, string field, string problem)
    {
        var path = _folder.Write("config", yaml);

        var error = Assert.Throws<KubeConfigException>(() => KubeClientSettings.BuildConfigFromConfigFile(path));

        Assert.Equal(path, error.File);
        Assert.Contains($"kubeconfig '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(field.Length == 0 ? null : field, error.Field);
        if (field.Length > 0)
        {
            Assert.Contains($": {field}: ", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildConfigFromConfigFile_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(_folder.Path, "absent");

        var error = Assert.Throws<KubeConfigException>(() => KubeClientSettings.BuildConfigFromConfigFile(path));

        Assert.StartsWith($"kubeconfig '{path}': cannot read the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildConfigFromConfigFile_NamedContextMissing_NamesContexts()
    {
        var path = _folder.Write("config", TwoContexts);

        var error = Assert.Throws<KubeConfigException>(() => KubeClientSettings.BuildConfigFromConfigFile(path, "third"));

        Assert.Equal("contexts", error.Field);
        Assert.Contains("no entry named 'third' in contexts", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A config whose context uses cluster k (body given) and user <paramref name="user"/>; users[1] is the one under test.</summary>
    private static string Ctx(string clusterBody, string user = "u", string userBody = "{token: t}") => $"""
        current-context: c
        contexts:
        - name: c
          context: {"{"}cluster: k, user: {user}{"}"}
        clusters:
        - name: k
          cluster: {clusterBody}
        users:
        - name: someone-else
          user: {"{"}token: other{"}"}
        - name: u
          user: {userBody}
        """;

    private static class Pem
    {
        private static readonly TestCertificates Certs = TestCertificates.Create();

        public static string Cert { get; } = Certs.EcClient.ExportCertificatePem();

        public static string EcKey { get; } = TestCertificates.KeyPem(Certs.EcClient);

        public static string OtherEcKey { get; } = System.Security.Cryptography.ECDsa.Create().ExportPkcs8PrivateKeyPem();
    }
}
