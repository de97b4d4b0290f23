using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Time;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Config;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly TempFolder _serviceAccount = new();
    private readonly TestCertificates _certs = TestCertificates.Create();
    private readonly ManualTimeProvider _time = new();

    private string TokenFile => Path.Combine(_serviceAccount.Path, "token");

    [Fact]
    public async Task InClusterConfig_TokenRotatedMidTest_NextRequestCarriesTheNewToken()
    {
        await using var server = await StartServerAsync();
        var config = Load(server.BaseAddress);
        using var client = TestClient.For(config, time: _time);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        RotateToken("token-b", File.GetLastWriteTimeUtc(TokenFile).AddSeconds(5));
        server.Options.BearerToken = "token-b";
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal(["Bearer token-a", "Bearer token-b"], server.Requests.Snapshot().Select(r => r.Authorization));
        Assert.Equal("ns-from-file", config.Namespace);
        Assert.Equal(TokenFile, config.TokenFile);
    }

    [Fact]
    public async Task InClusterConfig_TokenChangedWithSameTimestamp_IsReReadAfterAMinute()
    {
        await using var server = await StartServerAsync();
        using var client = TestClient.For(Load(server.BaseAddress), time: _time);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        RotateToken("token-b", File.GetLastWriteTimeUtc(TokenFile));
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        server.Options.BearerToken = "token-b"; // only now, so each request above was answered 200
        _time.Advance(TimeSpan.FromSeconds(61));
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal(["Bearer token-a", "Bearer token-a", "Bearer token-b"], server.Requests.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public async Task InClusterConfig_Unauthorized_ReReadsTheTokenAndRetriesOnce()
    {
        await using var server = await StartServerAsync();
        using var client = TestClient.For(Load(server.BaseAddress), time: _time);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        // Rotated without a visible timestamp change, and the old token revoked: only the 401 reveals it.
        RotateToken("token-b", File.GetLastWriteTimeUtc(TokenFile));
        server.Options.BearerToken = "token-b";
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal(["Bearer token-a", "Bearer token-a", "Bearer token-b"], server.Requests.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public void InClusterConfig_WithoutServiceVariables_IsNotInClusterAndFailsNamingThem()
    {
        WriteServiceAccount();

        Assert.False(InClusterLoader.IsInCluster(_serviceAccount.Path, _ => null));
        var error = Assert.Throws<KubeConfigException>(() => InClusterLoader.Load(_serviceAccount.Path, _ => null));
        Assert.Equal("KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT", error.Field);
    }

    [Fact]
    public void InClusterConfig_Ipv6ServiceHost_IsBracketed()
    {
        WriteServiceAccount();

        var config = InClusterLoader.Load(_serviceAccount.Path, Env("fd00::1", "443"));

        Assert.Equal(new Uri("https://[fd00::1]:443"), config.Host);
        Assert.True(InClusterLoader.IsInCluster(_serviceAccount.Path, Env("fd00::1", "443")));
    }

    public void Dispose()
    {
        _serviceAccount.Dispose();
        _certs.Dispose();
    }

    private static Func<string, string?> Env(string host, string port) => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => host,
        "KUBERNETES_SERVICE_PORT" => port,
        _ => null,
    };

    private KubeClientSettings Load(Uri server)
    {
        WriteServiceAccount();
        return InClusterLoader.Load(_serviceAccount.Path, Env(server.Host, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private void WriteServiceAccount()
    {
        _serviceAccount.Write("token", "token-a\n");
        _serviceAccount.Write("ca.crt", _certs.CaPem);
        _serviceAccount.Write("namespace", "ns-from-file");
    }

    private void RotateToken(string token, DateTime lastWriteUtc)
    {
        // The kubelet swaps a symlinked folder; writing in place with a chosen timestamp is the same to a reader.
        File.WriteAllText(TokenFile, token);
        File.SetLastWriteTimeUtc(TokenFile, lastWriteUtc);
    }

    /// <summary>The test API server over HTTPS (the service account's CA is its cluster CA) accepting <c>token-a</c> until a test rotates it.</summary>
    private async Task<TestApiServer> StartServerAsync()
    {
        var server = new TestApiServer(new TestApiServerOptions
        {
            Tls = new TestApiServerTls { CertificateAuthority = _certs.Authority, ServingCertificate = _certs.Server },
            BearerToken = "token-a",
        });
        await server.StartAsync();
        return server;
    }
}
