using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    public JsonObject Get(ResourceType type, string? ns, string name) =>
        View(type, Store.Get(type.StorageKey, Key(type, ns, name)) ?? throw StatusBodies.NotFound(type, name));

    /// <summary>
    /// LIST with selectors and limit/continue paging, in key order. An Exact or paged RV (and every continued page) is a
    /// consistent snapshot at that RV, rebuilt from the history; older than the compaction floor answers 410, newer
    /// than the store 504. RV "0" ignores limit.
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

                if (exact)
                {
                    listRv = rv;
                }
            }
            else if (options.ResourceVersion == "0")
            {
                limit = null;
            }

            var prefix = type.Namespaced && ns is not null ? ns + "/" : string.Empty;
            var source = listRv < current ? Store.SnapshotAt(type.StorageKey, prefix, listRv) : Store.Scan(type.StorageKey, prefix);
            var matching = source
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
