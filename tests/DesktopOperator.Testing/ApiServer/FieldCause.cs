namespace DesktopOperator.Testing.ApiServer;

/// <summary>One entry of <c>details.causes</c>.</summary>
internal sealed record FieldCause(string Reason, string Message, string Field);
