using DesktopOperator.Api.Validation;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Yaml;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// Reads one manifest file of standalone mode: DesktopPools with <c>spec.staticHosts</c>, checked by the same rules
/// the API server enforces through the CRD (there is no API server here to do it). Errors read <c>field: why</c>;
/// in a file of several documents each error names its pool.
/// </summary>
internal static class StandalonePoolLoader
{
    public const string DefaultNamespace = "default";

    public static ManifestFileResult<DesktopPool> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            return ManifestFileResult<DesktopPool>.Invalid($"cannot be read: {e.Message}");
        }

        IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> resources;
        try
        {
            resources = ResourceYaml.LoadAll(text, Path.GetFileName(path));
        }
        catch (ResourceYamlException e)
        {
            return ManifestFileResult<DesktopPool>.Invalid($"line {e.Line}, column {e.Column}: {e.Reason}");
        }

        var pools = new List<DesktopPool>();
        var errors = new List<string>();
        foreach (var resource in resources)
        {
            var prefix = resources.Count > 1 ? $"{resource.Kind} '{resource.Metadata.Name}': " : "";
            if (resource is not DesktopPool pool)
            {
                errors.Add($"{prefix}kind: standalone mode reads DesktopPools only; routes live in the state folder");
                continue;
            }

            pool.Metadata.NamespaceProperty ??= DefaultNamespace;
            var problems = DesktopPoolValidator.Validate(pool).Select(e => e.ToString()).ToList();
            if (pool.Spec.Template is not null)
            {
                problems.Add("spec.template: standalone mode has no Kubernetes to run pods; list the hosts in spec.staticHosts");
            }

            errors.AddRange(problems.Select(p => prefix + p));
            if (problems.Count == 0)
            {
                pools.Add(pool);
            }
        }

        return errors.Count == 0 ? ManifestFileResult<DesktopPool>.Valid(pools) : new ManifestFileResult<DesktopPool>([], errors);
    }
}
