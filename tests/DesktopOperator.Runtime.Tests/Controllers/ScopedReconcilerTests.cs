using DesktopOperator.Runtime.Controllers;
using Microsoft.Extensions.DependencyInjection;

namespace DesktopOperator.Runtime.Tests.Controllers;

public sealed class ScopedReconcilerTests
{
    [Fact]
    public async Task ReconcileAsync_TwoPasses_EachGetsItsOwnScopeDisposedAfterwards()
    {
        var services = new ServiceCollection();
        services.AddScoped<ScopeProbe>();
        services.AddScoped<ProbeReconciler>();
        await using var provider = services.BuildServiceProvider();
        var reconciler = new ScopedReconciler<ProbeReconciler>(provider.GetRequiredService<IServiceScopeFactory>());

        await reconciler.ReconcileAsync(new ObjectKey("default", "a"), CancellationToken.None);
        await reconciler.ReconcileAsync(new ObjectKey("default", "a"), CancellationToken.None);

        Assert.Equal(2, ScopeProbe.Created.Count);
        Assert.NotSame(ScopeProbe.Created[0], ScopeProbe.Created[1]);
        Assert.All(ScopeProbe.Created, p => Assert.True(p.Disposed));
    }

    private sealed class ScopeProbe : IDisposable
    {
        public static readonly List<ScopeProbe> Created = [];

        public ScopeProbe() => Created.Add(this);

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ProbeReconciler(ScopeProbe probe) : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
            Task.FromResult(probe.Disposed ? throw new ObjectDisposedException(nameof(ScopeProbe)) : ReconcileResult.Done);
    }
}
