using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// kube-apiserver's authenticator chain (and its authorization of anonymous), reduced to what the tests need: the
/// x509 client-certificate authenticator (<see cref="TestApiServerTls.ClientCertificates"/>), the static bearer token
/// (<see cref="TestApiServerOptions.BearerToken"/>) and anonymous. As the real union authenticator does, the first that succeeds wins; credentials that all fail are a
/// 401; a request with none is <c>system:anonymous</c> (refused by authorization with a 403, transcript 14) unless
/// <see cref="TestApiServerOptions.AnonymousAuth"/> is off (401). With neither authenticator configured every request
/// is allowed (the server has no RBAC).
/// </summary>
internal sealed class Authentication(ServerState state, X509Certificate2? clientCa)
{
    public const string Anonymous = "system:anonymous";

    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private bool Configured => state.Options.BearerToken is not null || clientCa is not null;

    /// <summary>The authenticated user's name (<see cref="Anonymous"/> for none); throws the 401.</summary>
    public string Authenticate(HttpRequest request, X509Certificate2? certificate)
    {
        if (!Configured)
        {
            return TestApiServer.TokenUser;
        }

        var failed = false;
        if (certificate is not null && clientCa is not null)
        {
            if (Verify(certificate) is { } user)
            {
                return user;
            }

            failed = true;
        }

        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0 && state.Options.BearerToken is { } token)
        {
            if (header == "Bearer " + token)
            {
                return TestApiServer.TokenUser;
            }

            failed = true;
        }

        if (failed || !state.Options.AnonymousAuth)
        {
            throw new ApiError(401, StatusBodies.Failure(401, "Unauthorized", "Unauthorized", null));
        }

        return Anonymous;
    }

    /// <summary>
    /// Authorization, reduced to the one rule the transcripts show: <c>system:anonymous</c> may do nothing (403, as in
    /// transcript 14); every authenticated user may do everything (the transcripts' token is in <c>system:masters</c>).
    /// </summary>
    public void Authorize(string user, HttpRequest request, string path)
    {
        if (user != Anonymous)
        {
            return;
        }

        var api = ApiPath.Parse(path, state.Registry);
        var group = api?.Type.Group ?? string.Empty;
        var plural = api?.Type.Plural ?? string.Empty;
        var verb = request.Method switch { "GET" when api?.Name is null => "list", "GET" => "get", "POST" => "create", "PUT" => "update", "PATCH" => "patch", "DELETE" => "delete", _ => "get" };
        var where = api?.Namespace is { } ns ? $" in the namespace \"{ns}\"" : string.Empty;
        var qualified = api?.Type.QualifiedResource ?? path;
        throw StatusBodies.Forbidden(
            $"{qualified} is forbidden: User \"{Anonymous}\" cannot {verb} resource \"{plural}\" in API group \"{group}\"{where}",
            StatusBodies.Details(api?.Name, group, plural));
    }

    /// <summary>The certificate's CN when it chains to the client CA and allows client authentication, else null.</summary>
    private string? Verify(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(clientCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        if (!chain.Build(certificate))
        {
            return null;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(name) ? null : name;
    }
}
