using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>The writes a kubelet (and scheduler) makes, as plain HTTP calls any API server accepts.</summary>
internal sealed class KubeletApi(HttpClient client)
{
    /// <summary>DELETE with gracePeriodSeconds=0 and a uid precondition (a recreated pod of the same name is not touched).</summary>
    public async Task DeleteNowAsync(string ns, string name, string uid, CancellationToken ct)
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions", ["gracePeriodSeconds"] = 0, ["preconditions"] = new JsonObject { ["uid"] = uid } };
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/namespaces/{ns}/pods/{name}") { Content = Json(body) };
        using var response = await client.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>POST pods/{name}/binding, as the scheduler does; a pod already bound (409) or gone (404) is fine.</summary>
    public async Task BindAsync(string ns, string name, string node, CancellationToken ct)
    {
        var binding = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
        };
        using var response = await client.PostAsync($"api/v1/namespaces/{ns}/pods/{name}/binding", Json(binding), ct).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>JSON merge patch of pods/{name}/status.</summary>
    public async Task PatchStatusAsync(string ns, string name, JsonObject status, CancellationToken ct)
    {
        var patch = new JsonObject { ["status"] = status };
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");
        using var response = await client.PatchAsync($"api/v1/namespaces/{ns}/pods/{name}/status", content, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
