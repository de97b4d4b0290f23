namespace DesktopOperator.Api.V1Alpha1;

/// <summary>What happens to a new user when every host is full and the pool is at maxHosts.</summary>
public enum FullPoolAction
{
    /// <summary>The user's route waits as Pending until a slot frees.</summary>
    Queue,

    /// <summary>The connection is refused.</summary>
    Reject,
}
