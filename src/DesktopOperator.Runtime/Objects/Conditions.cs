using k8s.Models;

namespace DesktopOperator.Runtime.Objects;

/// <summary>
/// Standard status conditions (apimachinery's meta.SetStatusCondition): one per type; lastTransitionTime
/// changes only when the status flips, so it tells how long the current state has held.
/// </summary>
public static class Conditions
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == True;

    /// <summary>
    /// Adds or updates the condition of <paramref name="condition"/>'s type. Its lastTransitionTime (or
    /// <paramref name="now"/>) is used only when the condition is new or its status changes. Returns whether
    /// anything changed, so the caller writes status only when needed.
    /// </summary>
    public static bool Set(IList<V1Condition> conditions, V1Condition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(condition);
        var existing = Find(conditions, condition.Type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = condition.Type,
                Status = condition.Status,
                Reason = condition.Reason,
                Message = condition.Message,
                ObservedGeneration = condition.ObservedGeneration,
                LastTransitionTime = TransitionTime(condition, now),
            });
            return true;
        }

        var changed = false;
        if (existing.Status != condition.Status)
        {
            existing.Status = condition.Status;
            existing.LastTransitionTime = TransitionTime(condition, now);
            changed = true;
        }

        if (existing.Reason != condition.Reason)
        {
            existing.Reason = condition.Reason;
            changed = true;
        }

        if (existing.Message != condition.Message)
        {
            existing.Message = condition.Message;
            changed = true;
        }

        if (existing.ObservedGeneration != condition.ObservedGeneration)
        {
            existing.ObservedGeneration = condition.ObservedGeneration;
            changed = true;
        }

        return changed;
    }

    /// <summary>The condition's own lastTransitionTime when set (the model's field is not nullable), else now.</summary>
    private static DateTime TransitionTime(V1Condition condition, DateTimeOffset now) =>
        condition.LastTransitionTime == default ? now.UtcDateTime : condition.LastTransitionTime;

    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return Find(conditions, type) is { } existing && conditions.Remove(existing);
    }
}
