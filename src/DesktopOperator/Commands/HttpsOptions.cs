using System.CommandLine;
using DesktopOperator.Gateway.Tls;
using DesktopOperator.Hosting;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Commands;

/// <summary>
/// The TLS options of a command that serves the gateway's HTTP side (standalone, and the Kubernetes-mode gateway):
/// <c>--https</c>, <c>--tls-cert</c>, <c>--tls-key</c>, <c>--no-https-redirect</c>, <c>--https-redirect-port</c>,
/// <c>--hsts</c>. Add
/// <see cref="All"/> to the command; <see cref="Read"/> checks them together and reads the certificate files.
/// </summary>
internal sealed class HttpsOptions
{
    public Option<string> Url { get; } = CommandOptions.HttpsUrl(
        "--https", "URL of an HTTPS endpoint serving what --http serves (e.g. https://0.0.0.0:8443); needs --tls-cert and --tls-key. Off by default.");

    public Option<FileInfo> Certificate { get; } = new("--tls-cert")
    {
        Description = "PEM file of the HTTPS certificate, then its chain's intermediates; read again when it changes.",
        HelpName = "FILE",
    };

    public Option<FileInfo> Key { get; } = new("--tls-key")
    {
        Description = "PEM file of the certificate's private key (PKCS#8, RSA or EC, unencrypted); read again when it changes.",
        HelpName = "FILE",
    };

    public Option<bool> NoRedirect { get; } = new("--no-https-redirect")
    {
        Description = "With --https, serve plain HTTP too instead of answering it with a redirect to HTTPS (/metrics, /healthz and /readyz are never redirected).",
    };

    public Option<int?> RedirectPort { get; } = CommandOptions.Port(
        "--https-redirect-port", "With --https, the port clients reach HTTPS on (e.g. a Service's or load balancer's), where plain HTTP is redirected. Default: the --https URL's port.");

    public Option<bool> Hsts { get; } = new("--hsts")
    {
        Description = $"With --https, send Strict-Transport-Security: {HttpsSettings.HstsValue} on HTTPS responses (browsers then refuse plain HTTP to this host name for a year).",
    };

    public IEnumerable<Option> All => [Url, Certificate, Key, NoRedirect, RedirectPort, Hsts];

    /// <summary>The HTTPS endpoint, or null when <c>--https</c> is not given; an error line (exit code 2) when the options or files are wrong.</summary>
    public (HttpsEndpoint? Endpoint, string? Error) Read(ParseResult parse, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(time);
        var url = parse.GetValue(Url);
        var certificate = parse.GetValue(Certificate);
        var key = parse.GetValue(Key);
        if (url is null)
        {
            var stray = certificate is not null ? Certificate.Name : key is not null ? Key.Name
                : parse.GetValue(NoRedirect) ? NoRedirect.Name : parse.GetValue(RedirectPort) is not null ? RedirectPort.Name
                : parse.GetValue(Hsts) ? Hsts.Name : null;
            return (null, stray is null ? null : $"{stray}: only has a meaning with --https URL");
        }

        if (certificate is null || key is null)
        {
            return (null, $"--https: needs {(certificate is null ? "--tls-cert FILE" : "--tls-key FILE")} (PEM files of the certificate and its key)");
        }

        try
        {
            var loaded = TlsCertificateFiles.Load(certificate.FullName, key.FullName, time.GetUtcNow());
            var redirectPort = parse.GetValue(RedirectPort) ?? BindingAddress.Parse(url).Port;
            var settings = new HttpsSettings(url, redirectPort, certificate.FullName, key.FullName, !parse.GetValue(NoRedirect), parse.GetValue(Hsts));
            return (new HttpsEndpoint(settings, loaded), null);
        }
        catch (InvalidDataException e)
        {
            return (null, e.Message);
        }
    }
}
