using System.Security.Cryptography.X509Certificates;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Kube.Config;

/// <summary>Reads one <c>users[i].user</c> entry: client certificate, token, token file or exec plugin.</summary>
internal sealed class KubeConfigUser(YamlFields fields, string folder)
{
    private static readonly string[] ExecApiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

    public X509Certificate2? ClientCertificate { get; private set; }

    public string? Token { get; private set; }

    public string? TokenFile { get; private set; }

    public ExecCredentialSettings? Exec { get; private set; }

    public void Read(YamlMappingNode user, string path)
    {
        foreach (var unsupported in new[] { "auth-provider", "username", "password" })
        {
            if (user.Children.ContainsKey(new YamlScalarNode(unsupported)))
            {
                throw fields.Error($"{path}.{unsupported}", "is not supported by this client (use a token, a client certificate or an exec plugin)");
            }
        }

        var certPem = ReadPem(user, path, "client-certificate");
        var keyPem = ReadPem(user, path, "client-key");
        if (certPem is not null && keyPem is null)
        {
            throw fields.Error($"{path}.client-key-data", "is missing (a client certificate needs client-key or client-key-data)");
        }

        if (keyPem is not null && certPem is null)
        {
            throw fields.Error($"{path}.client-certificate-data", "is missing (a client key needs client-certificate or client-certificate-data)");
        }

        if (certPem is not null && keyPem is not null)
        {
            ClientCertificate = PemLoader.LoadClientCertificate(certPem.Value.Pem, keyPem.Value.Pem, fields.File, certPem.Value.Field, keyPem.Value.Field);
        }

        Token = fields.String(user, "token", $"{path}.token") is { Length: > 0 } token ? token : null;
        if (fields.String(user, "tokenFile", $"{path}.tokenFile") is { Length: > 0 } tokenFile)
        {
            var full = Path.GetFullPath(tokenFile, folder);
            if (!File.Exists(full))
            {
                throw fields.Error($"{path}.tokenFile", $"file '{full}' does not exist");
            }

            TokenFile = full;
        }

        if (fields.Mapping(user, "exec", $"{path}.exec") is { } exec)
        {
            Exec = ReadExec(exec, $"{path}.exec");
        }
    }

    private (string Pem, string Field)? ReadPem(YamlMappingNode user, string path, string name)
    {
        var dataField = $"{path}.{name}-data";
        if (fields.String(user, $"{name}-data", dataField) is { Length: > 0 } data)
        {
            return (PemLoader.DecodeBase64Pem(data, fields.File, dataField), dataField);
        }

        var fileField = $"{path}.{name}";
        if (fields.String(user, name, fileField) is { Length: > 0 } file)
        {
            return (KubeConfigLoader.ReadFile(fields, folder, file, fileField), fileField);
        }

        return null;
    }

    private ExecCredentialSettings ReadExec(YamlMappingNode exec, string path)
    {
        var apiVersion = fields.Required(exec, "apiVersion", $"{path}.apiVersion");
        if (!ExecApiVersions.Contains(apiVersion))
        {
            throw fields.Error($"{path}.apiVersion", $"'{apiVersion}' is not supported (use {string.Join(" or ", ExecApiVersions)})");
        }

        var command = fields.Required(exec, "command", $"{path}.command");
        var args = new List<string>();
        if (fields.Sequence(exec, "args", $"{path}.args") is { } argNodes)
        {
            for (var i = 0; i < argNodes.Children.Count; i++)
            {
                args.Add(argNodes.Children[i] is YamlScalarNode { Value: { } arg }
                    ? arg
                    : throw fields.Error($"{path}.args[{i}]", "expected a string"));
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fields.Sequence(exec, "env", $"{path}.env") is { } envNodes)
        {
            for (var i = 0; i < envNodes.Children.Count; i++)
            {
                var entry = fields.MappingItem(envNodes.Children[i], $"{path}.env[{i}]");
                env[fields.Required(entry, "name", $"{path}.env[{i}].name")] = fields.String(entry, "value", $"{path}.env[{i}].value") ?? "";
            }
        }

        return new ExecCredentialSettings
        {
            ApiVersion = apiVersion,
            Command = command,
            Args = args,
            Env = env,
            WorkingDirectory = folder,
            InstallHint = fields.String(exec, "installHint", $"{path}.installHint"),
            ProvideClusterInfo = fields.Bool(exec, "provideClusterInfo", $"{path}.provideClusterInfo"),
        };
    }
}
