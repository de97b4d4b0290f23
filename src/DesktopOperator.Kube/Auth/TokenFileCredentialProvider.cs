using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Kube.Auth;

/// <summary>
/// A bearer token read from a file (the projected service-account token, which the kubelet rotates). The file
/// is re-read when its modification time changes, at least once a minute (client-go's period), and after a 401.
/// </summary>
internal sealed class TokenFileCredentialProvider(string path, TimeProvider time) : ICredentialProvider
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private string? _token;
    private DateTime _fileTime;
    private DateTimeOffset _readAt;

    public X509Certificate2? ClientCertificate => null;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Current());
        return ValueTask.CompletedTask;
    }

    public bool Invalidate()
    {
        lock (_gate)
        {
            _token = null;
        }

        return true;
    }

    internal string Current()
    {
        var fileTime = File.GetLastWriteTimeUtc(path);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_token is null || fileTime != _fileTime || now - _readAt >= MaxAge)
            {
                try
                {
                    _token = File.ReadAllText(path).Trim();
                    _fileTime = fileTime;
                    _readAt = now;
                }
                catch (IOException) when (_token is not null)
                {
                    // Caught mid-rotation: keep the token we have; the next request reads the file again.
                }
            }

            return _token;
        }
    }
}
