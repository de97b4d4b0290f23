using DesktopOperator.Gateway.Files;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// The cookie keys of a keys file (<see cref="AffinityCookieKeys.Load"/>), read again when the file changes (looked at
/// no more than once per <see cref="FileChangeCheck.Interval"/>), so keys are rotated by editing the file or the
/// Secret it is mounted from: add the new key as the last line, and cookies signed by the old one still verify and
/// are re-signed with the new one on their next response. A change that leaves no usable key is logged and the
/// keys in force stay.
/// </summary>
internal sealed partial class AffinityCookieKeyFile : IAffinityCookieKeySource
{
    private readonly string _path;
    private readonly FileChangeCheck _check;
    private readonly ILogger<AffinityCookieKeyFile> _logger;
    private volatile AffinityCookieKeys _current;

    /// <param name="loaded">The keys read from <paramref name="path"/> at startup (a bad file stops the start there).</param>
    public AffinityCookieKeyFile(string path, AffinityCookieKeys loaded, TimeProvider time, ILogger<AffinityCookieKeyFile> logger, TimeSpan? checkInterval = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        _path = path;
        _current = loaded;
        _logger = logger;
        _check = new FileChangeCheck([path], time, checkInterval ?? TimeSpan.FromSeconds(1));
    }

    public AffinityCookieKeys Current
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
            var keys = AffinityCookieKeys.Load(_path);
            _current = keys;
            LogReloaded(_path, keys.All.Count);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            LogReloadFailed(_path, e.Message);
        }
    }
}
