using DesktopOperator.Runtime.Objects;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Objects;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Set_NewCondition_AddedWithNow()
    {
        var conditions = new List<V1Condition>();

        Assert.True(Conditions.Set(conditions, Ready(Conditions.True, "AllHostsReady", 1), T0));

        Assert.Equal(T0, Conditions.Find(conditions, "Ready")!.LastTransitionTime);
        Assert.True(Conditions.IsTrue(conditions, "Ready"));
    }

    [Fact]
    public void Set_SameStatusNewReason_ChangedButTransitionTimeKept()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, Ready(Conditions.True, "AllHostsReady", 1), T0);

        Assert.True(Conditions.Set(conditions, Ready(Conditions.True, "EnoughHostsReady", 2), T0.AddMinutes(5)));

        var ready = Conditions.Find(conditions, "Ready")!;
        Assert.Equal(T0, ready.LastTransitionTime);
        Assert.Equal("EnoughHostsReady", ready.Reason);
        Assert.Equal(2, ready.ObservedGeneration);
    }

    [Fact]
    public void Set_StatusFlips_TransitionTimeMoves()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, Ready(Conditions.True, "AllHostsReady", 1), T0);

        Assert.True(Conditions.Set(conditions, Ready(Conditions.False, "NoHostsReady", 1), T0.AddMinutes(5)));

        Assert.Equal(T0.AddMinutes(5), Conditions.Find(conditions, "Ready")!.LastTransitionTime);
    }

    [Fact]
    public void Set_Identical_ReportsNoChange()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, Ready(Conditions.True, "AllHostsReady", 1), T0);

        Assert.False(Conditions.Set(conditions, Ready(Conditions.True, "AllHostsReady", 1), T0.AddMinutes(5)));
        Assert.Single(conditions);
    }

    [Fact]
    public void Remove_Present_Removed()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, Ready(Conditions.True, "AllHostsReady", 1), T0);

        Assert.True(Conditions.Remove(conditions, "Ready"));
        Assert.False(Conditions.Remove(conditions, "Ready"));
    }

    private static V1Condition Ready(string status, string reason, long generation) =>
        new() { Type = "Ready", Status = status, Reason = reason, Message = "", ObservedGeneration = generation };
}
