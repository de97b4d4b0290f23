using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.Runtime.Tests.Support;

/// <summary>
/// One <see cref="TestApi"/> per test class that serves <see cref="Widget"/>s; each test takes its own namespace.
/// Bookmarks come every 200 ms so that informers see them within a test.
/// </summary>
public sealed class WidgetApiFixture : IAsyncLifetime
{
    private const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.test
        spec:
          group: example.test
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
          versions:
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        replicas: {type: integer}
                    status:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
        """;

    private TestApi? _api;

    public TestApi Api => _api ?? throw new InvalidOperationException("the fixture is not initialised");

    /// <summary>The collection path of widgets in <paramref name="ns"/>, as <see cref="RequestLog"/> records it.</summary>
    public static string Widgets(string ns) => $"/apis/example.test/v1/namespaces/{ns}/widgets";

    public async Task InitializeAsync() =>
        _api = await TestApi.StartAsync(
            o =>
            {
                o.BookmarkInterval = TimeSpan.FromMilliseconds(200);
                o.NodeAndDisruptionControllers = false;
            },
            WidgetCrd);

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
