using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>The opaque continue token: base64 of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}</c>, as etcd3 storage builds it.</summary>
internal static class ContinueToken
{
    public static string Encode(long rv, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = lastKey + "\u0000" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string GoChar(char c) => c < ' ' || (c >= '\u007f' && c <= '\u009f') ? $"\\u{(int)c:x4}" : c.ToString();

    public static (long Rv, string Start) Decode(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            var bytes = Convert.FromBase64String(padded);
            if (bytes.Length > 0 && bytes[0] != (byte)'{')
            {
                throw StatusBodies.BadRequest($"invalid continue token: continue key is not valid: invalid character '{GoChar((char)bytes[0])}' looking for beginning of value");
            }

            var node = JsonNode.Parse(bytes)!;
            if (node["v"]?.GetValue<string>() != "meta.k8s.io/v1")
            {
                throw StatusBodies.BadRequest("invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            return (long.Parse(node["rv"]!.ToJsonString(), CultureInfo.InvariantCulture), node["start"]!.GetValue<string>().TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw StatusBodies.BadRequest($"invalid continue token: continue key is not valid: {e.Message}");
        }
    }
}
