using System.Net.Security;
using DesktopOperator.Gateway.Files;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tls;

/// <summary>
/// The HTTPS listener's certificate, from PEM files (<see cref="TlsCertificateFiles"/>), read again when the files
/// change: each TLS handshake asks <see cref="Current"/>, which looks at the files' stamps no more than once per
/// interval. A new certificate serves new handshakes only; open connections keep theirs, so nothing is cut. A
/// change to files that cannot be used (half written, key and certificate not matching yet) is logged and the
/// certificate in force stays until the files change again.
/// </summary>
internal sealed partial class ServerCertificateFiles
{
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _time;
    private readonly FileChangeCheck _check;
    private readonly ILogger<ServerCertificateFiles> _logger;
    private volatile SslStreamCertificateContext _current;

    /// <param name="loaded">The certificate read from the files at startup (bad files stop the start there).</param>
    public ServerCertificateFiles(
        string certificatePath, string keyPath, SslStreamCertificateContext loaded, TimeProvider time, ILogger<ServerCertificateFiles> logger, TimeSpan? checkInterval = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _current = loaded;
        _time = time;
        _logger = logger;
        _check = new FileChangeCheck([certificatePath, keyPath], time, checkInterval ?? TimeSpan.FromSeconds(1));
    }

    public SslStreamCertificateContext Current
    {
        get
        {
            if (_check.Changed())
            {
                Reload();
            }

            return _current;
        }
    }

    private void Reload()
    {
        try
        {
            var loaded = TlsCertificateFiles.Load(_certificatePath, _keyPath, _time.GetUtcNow());
            _current = loaded;
            var certificate = loaded.TargetCertificate;
            var subject = certificate.Subject;
            var notAfter = certificate.NotAfter.ToUniversalTime();
            LogReloaded(_certificatePath, subject, notAfter);
        }
        catch (InvalidDataException e)
        {
            LogReloadFailed(e.Message);
        }
    }
}
