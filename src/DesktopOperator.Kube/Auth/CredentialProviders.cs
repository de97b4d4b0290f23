using DesktopOperator.Kube.Config;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Auth;

/// <summary>Picks the credential source for a configuration: token, then token file, then exec plugin.</summary>
internal static class CredentialProviders
{
    public static ICredentialProvider Create(KubeClientSettings config, TimeProvider time, ILogger logger) =>
        config switch
        {
            { AccessToken: { Length: > 0 } token } => new StaticTokenCredentialProvider(token),
            { TokenFile: { Length: > 0 } file } => new TokenFileCredentialProvider(file, time),
            { ExecProvider: { } exec } => new ExecCredentialProvider(exec, time, logger),
            _ => new StaticTokenCredentialProvider(null),
        };
}
