namespace DesktopOperator.Testing.Tls;

/// <summary>How <see cref="TestCertificateAuthority.WritePem"/> writes a key.</summary>
public enum KeyFormat
{
    /// <summary>PKCS#8, <c>-----BEGIN PRIVATE KEY-----</c>.</summary>
    Pkcs8,

    /// <summary><c>RSA PRIVATE KEY</c> or <c>EC PRIVATE KEY</c>.</summary>
    Traditional,

    /// <summary><c>ENCRYPTED PRIVATE KEY</c> (refused by the gateway).</summary>
    Encrypted,
}
