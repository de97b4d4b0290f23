using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>DeleteOptions from the body and/or query string (query wins, as in the real server).</summary>
internal sealed record DeleteOptions(string? PreconditionUid, string? PreconditionRv, string? PropagationPolicy, long? GracePeriodSeconds, bool DryRun)
{
    public static DeleteOptions From(JsonObject? body, Func<string, string?> query)
    {
        var policy = query("propagationPolicy") ?? BodyDecoder.Str(body?["propagationPolicy"]);
        if (policy is null && (query("orphanDependents") ?? body?["orphanDependents"]?.ToJsonString()) == "true")
        {
            policy = "Orphan";
        }

        var graceText = query("gracePeriodSeconds") ?? body?["gracePeriodSeconds"]?.ToJsonString();
        long? grace = graceText is null ? null : long.Parse(graceText, CultureInfo.InvariantCulture);
        var dryRun = query("dryRun") == "All" || (body?["dryRun"] as JsonArray)?.Any(d => d?.GetValue<string>() == "All") == true;
        return new DeleteOptions(
            BodyDecoder.Str(body?["preconditions"]?["uid"]),
            BodyDecoder.Str(body?["preconditions"]?["resourceVersion"]),
            policy,
            grace,
            dryRun);
    }
}
