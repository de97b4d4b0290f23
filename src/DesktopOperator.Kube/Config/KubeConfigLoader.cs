using System.Security.Cryptography.X509Certificates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Kube.Config;

/// <summary>
/// Reads one kubeconfig file and resolves one context to a <see cref="KubeClientSettings"/>. Relative
/// paths (certificate-authority, client-certificate, client-key, tokenFile, exec command) resolve against the
/// file's folder, as in client-go. Every problem is a <see cref="KubeConfigException"/> naming file and field.
/// </summary>
internal static class KubeConfigLoader
{
    public static KubeClientSettings Load(string path, string? contextName)
    {
        var file = Path.GetFullPath(path);
        var fields = new YamlFields(file);
        var root = ParseRoot(file);
        var folder = Path.GetDirectoryName(file)!;

        var name = contextName ?? fields.String(root, "current-context", "current-context");
        if (string.IsNullOrEmpty(name))
        {
            throw fields.Error("current-context", "is not set and no context was named");
        }

        var (contextIndex, context) = FindNamed(fields, root, "contexts", "context", name,
            contextName is null ? "current-context" : "contexts");
        var contextPath = $"contexts[{contextIndex}].context";
        var clusterName = fields.Required(context, "cluster", $"{contextPath}.cluster");
        var (clusterIndex, cluster) = FindNamed(fields, root, "clusters", "cluster", clusterName, $"{contextPath}.cluster");
        var clusterPath = $"clusters[{clusterIndex}].cluster";

        var serverText = fields.Required(cluster, "server", $"{clusterPath}.server");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw fields.Error($"{clusterPath}.server", $"'{serverText}' is not an absolute http(s) URL");
        }

        var userName = fields.String(context, "user", $"{contextPath}.user");
        var user = new KubeConfigUser(fields, folder);
        if (!string.IsNullOrEmpty(userName))
        {
            var (userIndex, userNode) = FindNamed(fields, root, "users", "user", userName, $"{contextPath}.user");
            user.Read(userNode, $"users[{userIndex}].user");
        }

        var skipTlsVerify = fields.Bool(cluster, "insecure-skip-tls-verify", $"{clusterPath}.insecure-skip-tls-verify");
        var tlsServerName = fields.String(cluster, "tls-server-name", $"{clusterPath}.tls-server-name") is { Length: > 0 } sn ? sn : null;
        var ca = ReadCertificateAuthority(fields, folder, cluster, clusterPath);
        var exec = user.Exec is { ProvideClusterInfo: true } wantsCluster
            ? wantsCluster with
            {
                Cluster = new ExecClusterInfo { Server = server, TlsServerName = tlsServerName, InsecureSkipTlsVerify = skipTlsVerify, CertificateAuthorityPem = ca?.Pem },
            }
            : user.Exec;
        return new KubeClientSettings
        {
            Host = server,
            Namespace = fields.String(context, "namespace", $"{contextPath}.namespace") is { Length: > 0 } ns ? ns : null,
            CurrentContext = name,
            SkipTlsVerify = skipTlsVerify,
            SslCaCerts = ca?.Certificates,
            TlsServerName = tlsServerName,
            ClientCertificate = user.ClientCertificate,
            AccessToken = user.Token,
            TokenFile = user.TokenFile,
            ExecProvider = exec,
        };
    }

    internal static string ReadFile(YamlFields fields, string folder, string relativeOrAbsolute, string field)
    {
        var full = Path.GetFullPath(relativeOrAbsolute, folder);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw fields.Error(field, $"cannot read file '{full}': {ex.Message}", ex);
        }
    }

    private static YamlMappingNode ParseRoot(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException(file, null, $"cannot read the file: {ex.Message}", ex);
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new KubeConfigException(file, null, $"not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }

        return stream.Documents.FirstOrDefault()?.RootNode switch
        {
            YamlMappingNode root => root,
            null => throw new KubeConfigException(file, null, "the file is empty"),
            _ => throw new KubeConfigException(file, null, "the top level is not a mapping"),
        };
    }

    /// <summary>Finds <c>list[i]</c> whose <c>name</c> matches and returns its <c>inner</c> mapping.</summary>
    private static (int Index, YamlMappingNode Node) FindNamed(YamlFields fields, YamlMappingNode root, string list, string inner, string name, string referringField)
    {
        var items = fields.Sequence(root, list, list);
        for (var i = 0; items is not null && i < items.Children.Count; i++)
        {
            var item = fields.MappingItem(items.Children[i], $"{list}[{i}]");
            if (fields.String(item, "name", $"{list}[{i}].name") == name)
            {
                return (i, fields.Mapping(item, inner, $"{list}[{i}].{inner}")
                    ?? throw fields.Error($"{list}[{i}].{inner}", "is missing"));
            }
        }

        throw fields.Error(referringField, $"no entry named '{name}' in {list}");
    }

    private static (X509Certificate2Collection Certificates, string Pem)? ReadCertificateAuthority(YamlFields fields, string folder, YamlMappingNode cluster, string clusterPath)
    {
        var dataField = $"{clusterPath}.certificate-authority-data";
        if (fields.String(cluster, "certificate-authority-data", dataField) is { Length: > 0 } data)
        {
            var pem = PemLoader.DecodeBase64Pem(data, fields.File, dataField);
            return (PemLoader.LoadCertificates(pem, fields.File, dataField), pem);
        }

        var fileField = $"{clusterPath}.certificate-authority";
        if (fields.String(cluster, "certificate-authority", fileField) is { Length: > 0 } path)
        {
            var pem = ReadFile(fields, folder, path, fileField);
            return (PemLoader.LoadCertificates(pem, fields.File, fileField), pem);
        }

        return null;
    }
}
