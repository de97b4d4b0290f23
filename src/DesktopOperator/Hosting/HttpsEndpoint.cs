using System.Net;
using System.Net.Security;
using DesktopOperator.Gateway.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DesktopOperator.Hosting;

/// <summary>
/// The gateway's HTTP listeners on Kestrel: the plain one and, with <see cref="HttpsSettings"/>, the TLS one, whose
/// certificate comes from <see cref="ServerCertificateFiles"/> on every handshake (so a renewed certificate serves
/// new connections without a restart, and open ones keep theirs).
/// </summary>
/// <param name="Settings">The HTTPS options.</param>
/// <param name="Loaded">The certificate as read at startup.</param>
internal sealed record HttpsEndpoint(HttpsSettings Settings, SslStreamCertificateContext Loaded)
{
    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>Binds <paramref name="httpUrl"/> and, when given, <paramref name="https"/>'s URL (Kestrel's Listen, which replaces UseUrls).</summary>
    public static void Listen(WebApplicationBuilder builder, string httpUrl, HttpsEndpoint? https)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (https is null)
        {
            builder.WebHost.UseUrls(httpUrl);
            return;
        }

        builder.Services.AddSingleton(sp => new ServerCertificateFiles(
            https.Settings.CertificateFile, https.Settings.KeyFile, https.Loaded, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServerCertificateFiles>>()));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Bind(kestrel, httpUrl, _ => { });
            Bind(kestrel, https.Settings.Url, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = kestrel.ApplicationServices.GetRequiredService<ServerCertificateFiles>().Current,
                        ApplicationProtocols = Protocols,
                    }),
                });
            });
        });
    }

    private static void Bind(KestrelServerOptions kestrel, string url, Action<ListenOptions> configure)
    {
        var address = BindingAddress.Parse(url);
        switch (address.Host)
        {
            case "*" or "+":
                kestrel.ListenAnyIP(address.Port, configure);
                break;
            case "localhost":
                kestrel.ListenLocalhost(address.Port, configure);
                break;
            default:
                kestrel.Listen(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port, configure);
                break;
        }
    }
}
