using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    public JsonObject Get(ResourceType type, string? ns, string name) =>
        View(type, Store.Get(type.StorageKey, Key(type, ns, name)) ?? throw StatusBodies.NotFound(type, name));

    /// <summary>
    /// LIST with selectors and limit/continue paging. Items come in key order from the current state (a continued list
    /// is not a snapshot at the token's RV; see KNOWN-DIFFERENCES.md). RV rules: "0" ignores limit; an Exact or paged
    /// RV older than the history floor answers 410; an RV newer than the store answers 504.
    /// </summary>
    public JsonObject List(ResourceType type, string? ns, ListOptions options)
    {
        lock (Store.Gate)
        {
            var current = Store.CurrentRv;
            var limit = options.Limit;
            long listRv = current;
            var start = string.Empty;
            if (options.Continue is { } token)
            {
                (listRv, start) = ContinueToken.Decode(token);
                if (listRv < Store.ListFloor)
                {
                    throw StatusBodies.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the 410 error.");
                }
            }
            else if (options.ResourceVersion is { Length: > 0 } rvText && rvText != "0")
            {
                if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
                {
                    throw StatusBodies.BadRequest($"invalid resource version: {rvText}");
                }

                if (rv > current)
                {
                    var status = StatusBodies.Failure(504, "Timeout", $"Timeout: Too large resource version: {rv}, current: {current}",
                        new JsonObject
                        {
                            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                            ["retryAfterSeconds"] = 1,
                        });
                    throw new ApiError(504, status);
                }

                var exact = options.ResourceVersionMatch == "Exact" || (limit is not null && options.ResourceVersionMatch is null or "");
                if (exact && rv < Store.ListFloor)
                {
                    throw StatusBodies.Gone("The resourceVersion for the provided list is too old.");
                }
            }
            else if (options.ResourceVersion == "0")
            {
                limit = null;
            }

            var prefix = type.Namespaced && ns is not null ? ns + "/" : string.Empty;
            var matching = Store.Scan(type.StorageKey, prefix)
                .Where(kv => string.CompareOrdinal(kv.Key, prefix + start) > 0 || start.Length == 0)
                .Where(kv => options.Matches(kv.Value))
                .ToList();
            var page = limit is { } l ? matching.Take((int)l).ToList() : matching;
            var meta = new JsonObject();
            var more = page.Count < matching.Count;
            if (more)
            {
                meta["continue"] = ContinueToken.Encode(listRv, page[^1].Key[prefix.Length..]);
                if (options.Labels.IsEmpty && options.Fields.IsEmpty)
                {
                    meta["remainingItemCount"] = matching.Count - page.Count;
                }
            }
            else if (type.IsCustom)
            {
                meta["continue"] = string.Empty;
            }

            meta["resourceVersion"] = listRv.ToString(CultureInfo.InvariantCulture);
            var items = new JsonArray();
            foreach (var (_, obj) in page)
            {
                var item = View(type, obj);
                if (!type.IsCustom)
                {
                    item.Remove("kind");
                    item.Remove("apiVersion");
                }

                items.Add(item);
            }

            return new JsonObject
            {
                ["kind"] = type.ListKind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = meta,
                ["items"] = items,
            };
        }
    }
}
