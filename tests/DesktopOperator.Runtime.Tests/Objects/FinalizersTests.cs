using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Objects;
using DesktopOperator.Runtime.Tests.Support;

namespace DesktopOperator.Runtime.Tests.Objects;

public sealed class FinalizersTests(WidgetApiFixture fixture) : IClassFixture<WidgetApiFixture>
{
    private const string Finalizer = "desktop.example.test/cleanup";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly KubernetesClient _client = fixture.Api.Client;
    private readonly string _ns = fixture.Api.NewNamespace();

    [Fact]
    public async Task AddAsync_Absent_AddedByPatchKeepingOthers()
    {
        var w = Widget.Make("a", _ns);
        w.Metadata.Finalizers = ["other/keep"];
        var created = await _client.CreateAsync(w, None);

        var patched = await Finalizers.AddAsync(_client, created, Finalizer, None);

        Assert.Equal(["other/keep", Finalizer], patched.Metadata.Finalizers);
        Assert.Same(patched, await Finalizers.AddAsync(_client, patched, Finalizer, None));
    }

    [Fact]
    public async Task AddAsync_StaleObject_ConflictAndNothingOverwritten()
    {
        var created = await _client.CreateAsync(Widget.Make("a", _ns), None);
        var fresh = await Finalizers.AddAsync(_client, created, "other/first", None);

        var error = await Assert.ThrowsAsync<KubeConflictException>(() => Finalizers.AddAsync(_client, created, Finalizer, None));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal(fresh.Metadata.Finalizers, (await _client.GetAsync<Widget>("a", _ns, None)).Metadata.Finalizers);
    }

    [Fact]
    public async Task RemoveAsync_LastFinalizerOfDeletingObject_ObjectGoes()
    {
        var created = await _client.CreateAsync(Widget.Make("a", _ns), None);
        created = await Finalizers.AddAsync(_client, created, Finalizer, None);
        var deleting = (await _client.DeleteAsync<Widget>("a", _ns, null, None))!;
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        await Finalizers.RemoveAsync(_client, deleting, Finalizer, None);

        var error = await Assert.ThrowsAsync<KubeNotFoundException>(() => _client.GetAsync<Widget>("a", _ns, None));
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public void BuildPatch_CarriesResourceVersionPrecondition()
    {
        Assert.Equal("""{"metadata":{"finalizers":["a","b"],"resourceVersion":"42"}}""", Finalizers.BuildPatch(["a", "b"], "42"));
    }
}
