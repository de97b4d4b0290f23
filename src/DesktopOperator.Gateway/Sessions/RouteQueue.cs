using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// The waiting line of a full pool: its Pending routes, first come first. A Pending route's <see cref="RouteRecord.BoundAt"/>
/// is when it started to wait (refreshes of a waiting route keep it). Shown in <c>/api/status</c> and in the log line of a
/// newly queued connection, so an admin can tell a user where they stand.
/// </summary>
internal static class RouteQueue
{
    public static IReadOnlyList<RouteRecord> Of(IEnumerable<RouteRecord> poolRoutes) =>
        [.. poolRoutes.Where(r => r.Phase == SessionRoutePhase.Pending).OrderBy(r => r.BoundAt).ThenBy(r => r.Key, StringComparer.Ordinal)];

    /// <summary>1-based position of <paramref name="key"/> in the line, or 0 when it is not waiting.</summary>
    public static int PositionOf(IEnumerable<RouteRecord> poolRoutes, string key)
    {
        var queue = Of(poolRoutes);
        for (var i = 0; i < queue.Count; i++)
        {
            if (queue[i].Key == key)
            {
                return i + 1;
            }
        }

        return 0;
    }
}
