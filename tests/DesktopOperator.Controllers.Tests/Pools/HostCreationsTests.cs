using DesktopOperator.Controllers.Pools;
using DesktopOperator.Runtime;
using DesktopOperator.Testing.Time;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Pools;

/// <summary>
/// The pool controller's memory of the hosts it created and its cache has not shown: the case that made a pool one
/// host too many is a cache that dropped an evicted host and not yet showed its replacement under a new name.
/// </summary>
public sealed class HostCreationsTests
{
    private static readonly ObjectKey Pool = new("desktops", "desk");
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Awaiting_CreatedHostNotInTheCache_TrueUntilTheCacheShowsIt()
    {
        var creations = new HostCreations(_time);
        var busy = Pod("desk-aaaaa", "uid-busy");
        var replacement = Pod("desk-bbbbb", "uid-new");
        creations.Created(Pool, replacement);

        Assert.True(creations.Awaiting(Pool, [busy]));
        Assert.False(creations.Awaiting(Pool, [busy, replacement]));
        Assert.False(creations.Awaiting(Pool, [busy]));
    }

    [Fact]
    public void Awaiting_AnOlderPodOfTheSameName_StillAwaitsTheNewOne()
    {
        var creations = new HostCreations(_time);
        creations.Created(Pool, Pod("desk-bbbbb", "uid-new"));

        Assert.True(creations.Awaiting(Pool, [Pod("desk-bbbbb", "uid-evicted")]));
    }

    [Fact]
    public void Awaiting_NeverSeenPastThePatience_Forgotten()
    {
        var creations = new HostCreations(_time);
        creations.Created(Pool, Pod("desk-bbbbb", "uid-new"));

        _time.Advance(HostCreations.Patience);
        Assert.True(creations.Awaiting(Pool, []));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(creations.Awaiting(Pool, []));
    }

    [Fact]
    public void Awaiting_OtherPoolOrForgottenPool_False()
    {
        var creations = new HostCreations(_time);
        creations.Created(Pool, Pod("desk-bbbbb", "uid-new"));

        Assert.False(creations.Awaiting(new ObjectKey("desktops", "other"), []));
        creations.Forget(Pool);
        Assert.False(creations.Awaiting(Pool, []));
    }

    private static V1Pod Pod(string name, string uid) => new() { Metadata = new V1ObjectMeta { Name = name, Uid = uid } };
}
