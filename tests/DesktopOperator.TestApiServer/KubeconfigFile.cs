namespace DesktopOperator.TestApiServer;

/// <summary>A kubeconfig for the test API server: its URL (plain HTTP, so no CA) and its bearer token, if any.</summary>
internal static class KubeconfigFile
{
    /// <summary>Writes the file (creating its folder), replacing one a previous run left behind.</summary>
    public static void Write(string path, Uri server, string? token)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // A token is a YAML double-quoted scalar: escape what that syntax needs.
        var user = token is null ? "{}" : $"\n    token: \"{token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        File.WriteAllText(full, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test-api-server
              cluster:
                server: {server.ToString().TrimEnd('/')}
            users:
            - name: test-api-server
              user: {user}
            contexts:
            - name: test-api-server
              context:
                cluster: test-api-server
                user: test-api-server
                namespace: default
            current-context: test-api-server

            """);
    }
}
