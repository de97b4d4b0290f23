using DesktopOperator.Api.V1Alpha1;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Yaml;

/// <summary>
/// Reads manifests (YAML or JSON, one or many <c>---</c>-separated documents) into our typed objects: YAML → JSON
/// (YAML 1.2 core schema: only <c>true</c>/<c>false</c> are booleans, quoted scalars are always strings) → typed
/// object via <see cref="KubeJson.Options"/>. Every failure is a <see cref="ResourceYamlException"/> with the
/// source name and line. Defaults come from the C# initializers; run the validators on the result.
/// </summary>
public static class ResourceYaml
{
    private static readonly Dictionary<(string ApiVersion, string Kind), Type> KnownKinds = new()
    {
        [(ApiGroup.GroupVersion, DesktopPool.KindName)] = typeof(DesktopPool),
        [(ApiGroup.GroupVersion, SessionRoute.KindName)] = typeof(SessionRoute),
    };

    /// <summary>All non-empty documents of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<ResourceDocument> ReadDocuments(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)), sourceName);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ResourceYamlException(sourceName, e.Start.Line, e.Start.Column, "invalid YAML: " + Reason(e), e);
        }
        catch (InvalidOperationException e)
        {
            throw new ResourceYamlException(
                sourceName, parser.LastEnd.Line, parser.LastEnd.Column, "invalid YAML: unexpected text after this point", e);
        }

        var documents = new List<ResourceDocument>();
        foreach (var document in stream.Documents)
        {
            var json = new YamlToJson(sourceName).Convert(document.RootNode);
            if (json is not null)
            {
                documents.Add(new ResourceDocument(sourceName, documents.Count, document.RootNode, json));
            }
        }

        return documents;
    }

    /// <summary>The one document of <paramref name="text"/> as <typeparamref name="T"/>.</summary>
    public static T Load<T>(string text, string sourceName)
    {
        var documents = ReadDocuments(text, sourceName);
        return documents.Count == 1
            ? documents[0].ToObject<T>()
            : throw new ResourceYamlException(sourceName, 1, 1, $"expected one document, found {documents.Count}");
    }

    /// <summary>Every document as a DesktopPool or SessionRoute; any other apiVersion/kind is an error.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> LoadAll(string text, string sourceName) =>
        ReadDocuments(text, sourceName).Select(document =>
            KnownKinds.TryGetValue((document.ApiVersion ?? "", document.Kind ?? ""), out var type)
                ? (IKubernetesObject<V1ObjectMeta>)document.ToObject(type)
                : throw new ResourceYamlException(sourceName, document.Line, 1,
                    $"unknown kind '{document.Kind}' of apiVersion '{document.ApiVersion}'; expected {ApiGroup.GroupVersion} DesktopPool or SessionRoute"))
            .ToList();

    private static string Reason(YamlException e)
    {
        // YamlDotNet prefixes its messages with the location, which the exception already carries.
        var message = e.InnerException?.Message ?? e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
    }
}
