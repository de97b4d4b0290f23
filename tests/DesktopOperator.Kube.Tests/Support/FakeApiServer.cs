using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Tests.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 with a free port that records every request and answers with the test's
/// handler. Optionally HTTPS with a given server certificate, requiring a client certificate.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeApiServer(WebApplication app, Uri address, ConcurrentQueue<string> serverNames)
    {
        _app = app;
        Address = address;
        ServerNames = serverNames;
    }

    public Uri Address { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IReadOnlyList<RecordedRequest> All => [.. Requests];

    /// <summary>The TLS server name (SNI) of every handshake, in order; empty when a client sent none (an IP).</summary>
    public ConcurrentQueue<string> ServerNames { get; }

    /// <summary>The subject of the client certificate of the last TLS request, when one was sent.</summary>
    public string? LastClientCertificateSubject { get; private set; }

    public static Task<FakeApiServer> StartAsync(Func<HttpContext, RecordedRequest, Task> handler) => StartAsync(handler, null, false);

    public static async Task<FakeApiServer> StartAsync(Func<HttpContext, RecordedRequest, Task> handler, X509Certificate2? serverCertificate, bool requireClientCertificate, X509Certificate2? clientCa = null)
    {
        var serverNames = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificateSelector = (_, name) =>
                    {
                        serverNames.Enqueue(name ?? "");
                        return serverCertificate;
                    };
                    https.ClientCertificateMode = requireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => clientCa is null || Issued(certificate, clientCa);
                });
            }
        }));
        var app = builder.Build();
        FakeApiServer? server = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            // The raw target, as sent: Kestrel's Request.Path is already unescaped.
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var query = target.IndexOf('?', StringComparison.Ordinal);
            var request = new RecordedRequest(
                context.Request.Method,
                query < 0 ? target : target[..query],
                query < 0 ? "" : target[query..],
                context.Request.ContentType,
                body,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
                context.Request.Headers.UserAgent.ToString(),
                context.Request.Headers.Accept.ToString(),
                context.Request.Headers.Host.ToString());
            server!.Requests.Enqueue(request);
            if (context.Connection.ClientCertificate is { } clientCertificate)
            {
                server.LastClientCertificateSubject = clientCertificate.Subject;
            }

            await handler(context, request);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FakeApiServer(app, new Uri(address), serverNames);
        return server;
    }

    public static Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool Issued(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        return chain.Build(certificate);
    }
}
