namespace DesktopOperator.Testing.Schema;

/// <summary>
/// One validation failure: <paramref name="Field"/> as the API prints it (<c>spec.replicas</c>, <c>&lt;nil&gt;</c>),
/// <paramref name="Type"/> the cause reason (<c>FieldValueInvalid</c>, <c>FieldValueRequired</c>, ...), and the
/// message text of the <c>Status</c> cause.
/// </summary>
public sealed record SchemaError(string Field, string Type, string Message);
