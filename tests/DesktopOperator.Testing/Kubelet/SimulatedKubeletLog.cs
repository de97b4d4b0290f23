using Microsoft.Extensions.Logging;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>What the simulated kubelet does, one line per pod change (EventIds 9001–9009).</summary>
internal static partial class SimulatedKubeletLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Node {Node} registered; its Lease is renewed every {Interval}")]
    public static partial void NodeRegistered(ILogger logger, string node, TimeSpan interval);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Pod {Namespace}/{Name} bound to node {Node}")]
    public static partial void PodBound(ILogger logger, string @namespace, string name, string node);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Pod {Namespace}/{Name} Running at {Ip}, Ready={Ready} ({Probe})")]
    public static partial void PodRunning(ILogger logger, string @namespace, string name, string ip, bool ready, string probe);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Pod {Namespace}/{Name}: readiness probe of {EndPoint} now Ready={Ready}")]
    public static partial void ReadinessChanged(ILogger logger, string @namespace, string name, System.Net.IPEndPoint endPoint, bool ready);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Pod {Namespace}/{Name} removed after its grace period; {Ip} is free again")]
    public static partial void PodRemoved(ILogger logger, string @namespace, string name, string ip);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name} waits for an address: every address of {Range} is taken")]
    public static partial void NoAddress(ILogger logger, string @namespace, string name, string range);
}
