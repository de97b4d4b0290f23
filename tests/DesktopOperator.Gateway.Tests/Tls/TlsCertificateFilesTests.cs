using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Gateway.Tls;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Tls;

namespace DesktopOperator.Gateway.Tests.Tls;

public sealed class TlsCertificateFilesTests : IDisposable
{
    private readonly string _folder = HostLogs.CreateDirectory("tls-files");
    private readonly TestCertificateAuthority _ca = new();

    private string CertPath => Path.Combine(_folder, "tls.crt");

    private string KeyPath => Path.Combine(_folder, "tls.key");

    [Theory]
    [InlineData(true, KeyFormat.Pkcs8)]
    [InlineData(true, KeyFormat.Traditional)]
    [InlineData(false, KeyFormat.Pkcs8)]
    [InlineData(false, KeyFormat.Traditional)]
    public void Load_RsaOrEcKey_InEitherFormat_GivesTheCertificateWithItsKey(bool rsa, KeyFormat format)
    {
        using var issued = _ca.Issue("gateway", rsa);
        TestCertificateAuthority.WritePem(issued, CertPath, KeyPath, format);

        var context = TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow);

        Assert.Equal(issued.Thumbprint, context.TargetCertificate.Thumbprint);
        Assert.True(context.TargetCertificate.HasPrivateKey);
    }

    [Fact]
    public void Load_ChainInTheCertificateFile_SendsTheIntermediate()
    {
        using var intermediate = _ca.CreateIntermediate("desktop-operator test intermediate");
        using var issued = intermediate.Issue("gateway");
        TestCertificateAuthority.WritePem(issued, CertPath, KeyPath, KeyFormat.Pkcs8, intermediate.Certificate);

        var context = TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow);

        Assert.Equal(issued.Thumbprint, context.TargetCertificate.Thumbprint);
        Assert.Contains(context.IntermediateCertificates, c => c.Thumbprint == intermediate.Certificate.Thumbprint);
    }

    [Fact]
    public void Load_CertificateAndKeyInOneFile_Works()
    {
        using var issued = _ca.Issue("gateway");
        TestCertificateAuthority.WritePem(issued, CertPath, KeyPath);
        File.AppendAllText(CertPath, File.ReadAllText(KeyPath));

        var context = TlsCertificateFiles.Load(CertPath, CertPath, DateTimeOffset.UtcNow);

        Assert.Equal(issued.Thumbprint, context.TargetCertificate.Thumbprint);
    }

    [Fact]
    public void Load_MissingFile_NamesItAndSaysWhy()
    {
        var error = Assert.Throws<InvalidDataException>(() => TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow));

        Assert.StartsWith($"{CertPath}: cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoCertificateInTheFile_NamesIt()
    {
        File.WriteAllText(CertPath, "not a certificate\n");
        File.WriteAllText(KeyPath, "");

        var error = Assert.Throws<InvalidDataException>(() => TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow));

        Assert.Equal($"{CertPath}: holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)", error.Message);
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_NamesTheKeyFile()
    {
        using var issued = _ca.Issue("gateway");
        using var other = _ca.Issue("other");
        TestCertificateAuthority.WritePem(other, CertPath, KeyPath);
        File.WriteAllText(CertPath, issued.ExportCertificatePem());

        var error = Assert.Throws<InvalidDataException>(() => TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow));

        Assert.StartsWith($"{KeyPath}: not the private key of the certificate in the certificate file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyFileWithoutAKey_NamesIt()
    {
        using var issued = _ca.Issue("gateway");
        TestCertificateAuthority.WritePem(issued, CertPath, KeyPath);
        File.Copy(CertPath, KeyPath, overwrite: true);

        var error = Assert.Throws<InvalidDataException>(() => TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow));

        Assert.StartsWith($"{KeyPath}: holds no private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EncryptedKey_IsRefusedWithAHint()
    {
        using var issued = _ca.Issue("gateway");
        TestCertificateAuthority.WritePem(issued, CertPath, KeyPath, KeyFormat.Encrypted);

        var error = Assert.Throws<InvalidDataException>(() => TlsCertificateFiles.Load(CertPath, KeyPath, DateTimeOffset.UtcNow));

        Assert.StartsWith($"{KeyPath}: the private key is encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExpiredCertificate_SaysWhen()
    {
        using var issued = _ca.Issue("gateway");
        TestCertificateAuthority.WritePem(issued, CertPath, KeyPath);

        var error = Assert.Throws<InvalidDataException>(() => TlsCertificateFiles.Load(CertPath, KeyPath, issued.NotAfter.ToUniversalTime().AddDays(1)));

        Assert.Contains($"{CertPath}: the certificate (CN=gateway) expired on", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ca.Dispose();
        HostLogs.Remove(_folder);
    }
}
