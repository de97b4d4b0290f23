using DesktopOperator.Gateway.Tls;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Tls;

/// <summary>
/// Certificate reload as a Kubernetes Secret volume does it: <c>tls.crt</c> and <c>tls.key</c> are links into
/// <c>..data</c>, itself a link to a timestamped folder that the kubelet replaces by swapping the link.
/// </summary>
public sealed class ServerCertificateFilesTests : IDisposable
{
    private readonly string _mount = HostLogs.CreateDirectory("tls-mount");
    private readonly TestCertificateAuthority _ca = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private int _generation;

    private string CertPath => Path.Combine(_mount, "tls.crt");

    private string KeyPath => Path.Combine(_mount, "tls.key");

    [Fact]
    public async Task Current_SecretVolumeSwapsItsDataLink_ServesTheNewCertificateAfterTheCheckInterval()
    {
        using var first = _ca.Issue("first");
        using var second = _ca.Issue("second");
        await PublishAsync(first);
        File.CreateSymbolicLink(CertPath, Path.Combine("..data", "tls.crt"));
        File.CreateSymbolicLink(KeyPath, Path.Combine("..data", "tls.key"));
        var files = new ServerCertificateFiles(
            CertPath, KeyPath, TlsCertificateFiles.Load(CertPath, KeyPath, _time.GetUtcNow()), _time, NullLogger<ServerCertificateFiles>.Instance);

        await PublishAsync(second);
        var beforeInterval = files.Current.TargetCertificate.Thumbprint;
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = files.Current.TargetCertificate.Thumbprint;

        Assert.Equal(first.Thumbprint, beforeInterval);
        Assert.Equal(second.Thumbprint, after);
    }

    [Fact]
    public void Current_FilesChangedToSomethingUnusable_KeepsTheCertificateInForce()
    {
        using var first = _ca.Issue("first");
        TestCertificateAuthority.WritePem(first, CertPath, KeyPath);
        var files = new ServerCertificateFiles(
            CertPath, KeyPath, TlsCertificateFiles.Load(CertPath, KeyPath, _time.GetUtcNow()), _time, NullLogger<ServerCertificateFiles>.Instance);

        File.WriteAllText(KeyPath, "half written");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(first.Thumbprint, files.Current.TargetCertificate.Thumbprint);
    }

    /// <summary>Writes a new timestamped folder and swaps <c>..data</c> to it atomically (rename over the old link).</summary>
    private async Task PublishAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var folder = $"..2026_{++_generation}";
        Directory.CreateDirectory(Path.Combine(_mount, folder));
        TestCertificateAuthority.WritePem(certificate, Path.Combine(_mount, folder, "tls.crt"), Path.Combine(_mount, folder, "tls.key"));
        var temporary = Path.Combine(_mount, "..data_tmp");
        File.CreateSymbolicLink(temporary, folder);
        // rename(2) over the old link, as the kubelet does (File.Move refuses a link to a folder).
        var rename = await ProcessRunner.RunAsync("mv", ["-T", "-f", temporary, Path.Combine(_mount, "..data")], TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.True(rename.Succeeded, rename.ToString());
    }

    public void Dispose()
    {
        _ca.Dispose();
        HostLogs.Remove(_mount);
    }
}
