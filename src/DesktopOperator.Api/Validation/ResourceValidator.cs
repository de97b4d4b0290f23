using DesktopOperator.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Validation;

/// <summary>Validates any of our kinds, e.g. each object <see cref="Yaml.ResourceYaml.LoadAll"/> returns.</summary>
public static class ResourceValidator
{
    public static IReadOnlyList<ValidationError> Validate(IKubernetesObject<V1ObjectMeta> resource) => resource switch
    {
        DesktopPool pool => DesktopPoolValidator.Validate(pool),
        SessionRoute route => SessionRouteValidator.Validate(route),
        null => throw new ArgumentNullException(nameof(resource)),
        _ => throw new ArgumentException($"{resource.GetType().Name} is not a kind of {ApiGroup.GroupVersion}.", nameof(resource)),
    };
}
