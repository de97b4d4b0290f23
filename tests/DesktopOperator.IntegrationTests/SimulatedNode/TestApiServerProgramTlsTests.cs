using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.Processes;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.SimulatedNode;

/// <summary>
/// The test API server program with <c>--tls</c>: the kubeconfig it writes carries its CA and a client certificate (or
/// the <c>--token</c>), and both kubectl and our client work through it over HTTPS.
/// </summary>
public sealed class TestApiServerProgramTlsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [ToolTheory("kubectl", "setsid")]
    [InlineData("client-certificate-data")]
    [InlineData("token")]
    public async Task Tls_KubeconfigWithCaAndCredentials_ServesKubectlAndOurClient(string credential)
    {
        string[] options = credential == "token" ? ["--tls", "--token", "program-token"] : ["--tls"];
        await using var cluster = await SimulatedClusterProcesses.StartAsync(Ct, options);
        var kubeconfig = await File.ReadAllTextAsync(cluster.Kubeconfig, Ct);
        var settings = KubeClientSettings.BuildConfigFromConfigFile(cluster.Kubeconfig);
        using var client = new KubernetesClient(settings);

        Assert.Contains("default", await cluster.KubectlAsync(Ct, "get", "namespaces"), StringComparison.Ordinal);
        var rootCa = await client.GetAsync<V1ConfigMap>("kube-root-ca.crt", "default", Ct);

        Assert.Equal("https", settings.Host.Scheme);
        Assert.Contains("certificate-authority-data: ", kubeconfig, StringComparison.Ordinal);
        Assert.Contains($"    {credential}: ", kubeconfig, StringComparison.Ordinal);
        Assert.Equal(settings.SslCaCerts![0].ExportCertificatePem(), rootCa.Data["ca.crt"].Trim());
        Assert.Equal(credential == "token", settings.ClientCertificate is null);
    }
}
