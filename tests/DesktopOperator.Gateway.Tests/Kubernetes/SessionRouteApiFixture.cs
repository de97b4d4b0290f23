using DesktopOperator.Testing;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

/// <summary>
/// One <see cref="TestApi"/> per test class serving the project's CRDs (from <c>crds/</c>); each test takes its own
/// namespace. Bookmarks come every 200 ms so informers see them within a test.
/// </summary>
public sealed class SessionRouteApiFixture : IAsyncLifetime
{
    private TestApi? _api;

    public TestApi Api => _api ?? throw new InvalidOperationException("the fixture is not initialised");

    /// <summary>The path of one SessionRoute, as <see cref="RequestLog"/> records it.</summary>
    public static string RoutePath(string ns, string name) => $"/apis/desktop-operator.io/v1alpha1/namespaces/{ns}/sessionroutes/{name}";

    public async Task InitializeAsync() =>
        _api = await TestApi.StartAsync(
            o =>
            {
                o.BookmarkInterval = TimeSpan.FromMilliseconds(200);
                o.NodeAndDisruptionControllers = false;
            },
            [.. RepositoryPaths.CrdFiles().Select(File.ReadAllText)]);

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
