using System.Security.Cryptography;
using System.Text;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// A short, stable hash of a pool's spec.template (labels, annotations and pod spec), the value of
/// <see cref="HostLabels.TemplateHash"/>: a pod whose hash differs from the pool's is outdated.
/// </summary>
internal static class TemplateHash
{
    public static string Compute(HostTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(KubeJson.Serialize(template)));
        return Convert.ToHexStringLower(bytes, 0, 5);
    }
}
