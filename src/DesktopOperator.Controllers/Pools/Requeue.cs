namespace DesktopOperator.Controllers.Pools;

/// <summary>Collects the earliest future moment at which a plan would change by time alone.</summary>
internal sealed class Requeue(DateTimeOffset now)
{
    public TimeSpan? After { get; private set; }

    public void At(DateTimeOffset moment)
    {
        var wait = moment - now;
        if (wait > TimeSpan.Zero && (After is null || wait < After))
        {
            After = wait;
        }
    }
}
