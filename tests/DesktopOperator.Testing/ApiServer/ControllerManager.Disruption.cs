using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ControllerManager
{
    /// <summary>The disruption controller: every budget's status recomputed from its pods (written only when it changed).</summary>
    private bool SyncBudgets()
    {
        var changed = false;
        foreach (var (key, pdb) in Store.Scan("poddisruptionbudgets.policy", string.Empty))
        {
            var status = DisruptionBudgets.ComputeStatus(_state, pdb);
            if (JsonNode.DeepEquals(status, pdb["status"]))
            {
                continue;
            }

            var updated = pdb.DeepClone().AsObject();
            updated["status"] = status;
            var ns = key[..key.IndexOf('/', StringComparison.Ordinal)];
            _objects.Update(Context("poddisruptionbudgets", ns, BodyDecoder.Str(pdb["metadata"]?["name"])!, "status"), updated, fromPatch: false);
            changed = true;
        }

        return changed;
    }
}
