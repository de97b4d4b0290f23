namespace DesktopOperator.Api.V1Alpha1;

/// <summary>The API group and version of the custom resources in this namespace.</summary>
public static class ApiGroup
{
    public const string Group = "desktop-operator.io";

    public const string Version = "v1alpha1";

    public const string GroupVersion = Group + "/" + Version;

    /// <summary>The <c>kubectl get</c> category shared by all our kinds.</summary>
    public const string Category = "desktop-operator";
}
