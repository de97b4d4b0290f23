using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Kube.Auth;

/// <summary>The <c>status</c> of an <c>ExecCredential</c> printed by a credential plugin.</summary>
internal sealed record ExecCredential(string? Token, X509Certificate2? ClientCertificate, DateTimeOffset? ExpirationTimestamp)
{
    public bool IsValidAt(DateTimeOffset now) => ExpirationTimestamp is not { } expiry || now < expiry;

    public static ExecCredential Parse(string json, string expectedApiVersion, string command)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(command, $"printed a JSON {root.ValueKind}, expected an ExecCredential object");
            }

            var apiVersion = root.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (apiVersion != expectedApiVersion)
            {
                throw Fail(command, $"printed apiVersion '{apiVersion}', expected '{expectedApiVersion}'");
            }

            var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (kind != "ExecCredential")
            {
                throw Fail(command, kind is null
                    ? "printed no kind, expected 'ExecCredential'"
                    : $"printed kind '{kind}', expected 'ExecCredential'");
            }

            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw Fail(command, "printed an ExecCredential without a status");
            }

            var token = String(status, "token");
            var certData = String(status, "clientCertificateData");
            var keyData = String(status, "clientKeyData");
            DateTimeOffset? expiry = String(status, "expirationTimestamp") is { } text
                ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
                : null;
            X509Certificate2? certificate = null;
            if (certData is not null || keyData is not null)
            {
                if (certData is null || keyData is null)
                {
                    throw Fail(command, "status must carry both clientCertificateData and clientKeyData, or neither");
                }

                certificate = PemLoader.LoadClientCertificate(certData, keyData, null, "status.clientCertificateData", "status.clientKeyData");
            }

            if (token is null && certificate is null)
            {
                throw Fail(command, "status carries neither a token nor a client certificate");
            }

            return new ExecCredential(token, certificate, expiry);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw Fail(command, $"printed invalid output: {ex.Message}", ex);
        }
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    internal static KubeConfigException Fail(string command, string problem, Exception? inner = null) =>
        new(null, "exec", $"credential plugin '{command}' {problem}", inner);
}
