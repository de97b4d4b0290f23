using DesktopOperator.Gateway.Health;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>A probe whose answer the test sets; it answers at once, or throws when told to.</summary>
internal sealed class ScriptedProbe : IHealthProbe
{
    private volatile object _next = ProbeResult.Success;
    private int _calls;

    public string Name => "scripted";

    public int Calls => Volatile.Read(ref _calls);

    public string? LastAddress { get; private set; }

    public void Answer(ProbeResult result) => _next = result;

    public void Throw(Exception exception) => _next = exception;

    public Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken)
    {
        LastAddress = address;
        Interlocked.Increment(ref _calls);
        return _next is Exception exception ? Task.FromException<ProbeResult>(exception) : Task.FromResult((ProbeResult)_next);
    }
}
