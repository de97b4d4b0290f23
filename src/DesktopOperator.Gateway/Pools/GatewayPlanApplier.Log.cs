using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Pools;

internal sealed partial class GatewayPlanApplier
{
    [LoggerMessage(EventId = 3901, Level = LogLevel.Debug, Message = "Plan applied: {Pools} pools, {Listeners} gateway ports, {Problems} problems")]
    private static partial void LogApplied(ILogger logger, int pools, int listeners, int problems);

    [LoggerMessage(EventId = 3902, Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
