using System.CommandLine;
using System.Globalization;
using DesktopOperator.Testing.Kubelet;

namespace DesktopOperator.SimulatedNode;

/// <summary>
/// The options of the program on System.CommandLine (as the product's commands): values are checked while parsing, so
/// a bad one is a parse error (one line, exit code 2); <see cref="Read"/> gives the checked options.
/// </summary>
internal sealed class NodeCommandLine
{
    private static readonly Option<string> KubeconfigOption = new("--kubeconfig")
    {
        Description = "The API server and credentials (default: $KUBECONFIG, then ~/.kube/config).",
        HelpName = "FILE",
    };

    private static readonly Option<string> ContextOption = new("--context")
    {
        Description = "A context of the kubeconfig other than its current one.",
        HelpName = "NAME",
    };

    private static readonly Option<string> NodeOption = new("--node")
    {
        Description = "The Node to register and run pods on.",
        HelpName = "NAME",
        DefaultValueFactory = _ => "sim-node-1",
    };

    private static readonly Option<PodIpPool?> PodIpsOption = new("--pod-ips")
    {
        Description = "Pod addresses, e.g. 127.0.0.21-127.0.0.40 (required).",
        HelpName = "FIRST-LAST",
        CustomParser = result =>
        {
            try
            {
                return PodIpPool.Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty);
            }
            catch (FormatException e)
            {
                result.AddError($"--pod-ips: {e.Message}");
                return null;
            }
        },
    };

    private static readonly Option<string> NamespaceOption = new("--namespace")
    {
        Description = "Only pods of this namespace (default: all namespaces).",
        HelpName = "NAME",
    };

    private static readonly Option<bool> NoSchedulerOption = new("--no-scheduler")
    {
        Description = "Do not bind unscheduled pods (another node or scheduler does).",
    };

    // Nullable without a DefaultValueFactory: the help would print the default as 00:00:01; it says "default 1" instead.
    private static readonly Option<TimeSpan?> ProbePeriodOption = new("--probe-period")
    {
        Description = "Readiness probe period in seconds, e.g. 1 or 0.5 (default 1).",
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 3600)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            result.AddError($"--probe-period: '{text}' is not a number of seconds between 0 and 3600");
            return null;
        },
    };

    private NodeCommandLine()
    {
    }

    public string? Kubeconfig { get; private init; }

    public string? Context { get; private init; }

    public string Node { get; private init; } = "sim-node-1";

    public PodIpPool? PodIps { get; private init; }

    public string? Namespace { get; private init; }

    public bool Scheduler { get; private init; } = true;

    public TimeSpan ProbePeriod { get; private init; } = TimeSpan.FromSeconds(1);

    public static RootCommand CreateCommand() => new("A simulated Kubernetes node (kubelet and scheduler) through the Kubernetes API only, until Ctrl-C or SIGTERM.")
    {
        KubeconfigOption, ContextOption, NodeOption, PodIpsOption, NamespaceOption, NoSchedulerOption, ProbePeriodOption,
    };

    /// <summary>The options of a parse without errors; throws <see cref="FormatException"/> with one line for what parsing cannot see.</summary>
    public static NodeCommandLine Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new NodeCommandLine
        {
            Kubeconfig = parse.GetValue(KubeconfigOption),
            Context = parse.GetValue(ContextOption),
            Node = parse.GetValue(NodeOption)!,
            PodIps = parse.GetValue(PodIpsOption) ?? throw new FormatException("--pod-ips: required (the addresses pods get, e.g. 127.0.0.21-127.0.0.40)"),
            Namespace = parse.GetValue(NamespaceOption),
            Scheduler = !parse.GetValue(NoSchedulerOption),
            ProbePeriod = parse.GetValue(ProbePeriodOption) ?? TimeSpan.FromSeconds(1),
        };
    }

    public SimulatedKubeletOptions ToKubeletOptions(Microsoft.Extensions.Logging.ILogger logger) => new()
    {
        NodeName = Node,
        Namespace = Namespace,
        ActAsScheduler = Scheduler,
        PodIps = PodIps,
        ProbeReadiness = true,
        ReadinessProbePeriod = ProbePeriod,
        GracePeriodScale = 0,
        Logger = logger,
    };
}
