using System.Globalization;
using DesktopOperator.Testing.Kubelet;

namespace DesktopOperator.SimulatedNode;

/// <summary>The options of the program; <see cref="Parse"/> throws <see cref="FormatException"/> with one line.</summary>
internal sealed class NodeCommandLine
{
    public const string Usage = """
        Usage: DesktopOperator.SimulatedNode --kubeconfig FILE --pod-ips FIRST-LAST [options]
          --kubeconfig FILE         the API server and credentials (default: $KUBECONFIG, then ~/.kube/config)
          --context NAME            a context of the kubeconfig other than its current one
          --node NAME               the Node to register and run pods on (default sim-node-1)
          --pod-ips FIRST-LAST      pod addresses, e.g. 127.0.0.21-127.0.0.40 (required)
          --namespace NAME          only pods of this namespace (default: all namespaces)
          --no-scheduler            do not bind unscheduled pods (another node or scheduler does)
          --probe-period DURATION   readiness probe period in seconds, e.g. 1 or 0.5 (default 1)
        """;

    private NodeCommandLine()
    {
    }

    public bool Help { get; private set; }

    public string? Kubeconfig { get; private set; }

    public string? Context { get; private set; }

    public string Node { get; private set; } = "sim-node-1";

    public PodIpPool? PodIps { get; private set; }

    public string? Namespace { get; private set; }

    public bool Scheduler { get; private set; } = true;

    public TimeSpan ProbePeriod { get; private set; } = TimeSpan.FromSeconds(1);

    public static NodeCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new NodeCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name}: a value is required");
            switch (name)
            {
                case "--help" or "-h":
                    options.Help = true;
                    break;
                case "--kubeconfig":
                    options.Kubeconfig = Value();
                    break;
                case "--context":
                    options.Context = Value();
                    break;
                case "--node":
                    options.Node = Value();
                    break;
                case "--pod-ips":
                    var range = Value();
                    try
                    {
                        options.PodIps = PodIpPool.Parse(range);
                    }
                    catch (FormatException e)
                    {
                        throw new FormatException($"--pod-ips: {e.Message}", e);
                    }

                    break;
                case "--namespace":
                    options.Namespace = Value();
                    break;
                case "--no-scheduler":
                    options.Scheduler = false;
                    break;
                case "--probe-period":
                    var text = Value();
                    options.ProbePeriod = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 3600
                        ? TimeSpan.FromSeconds(seconds)
                        : throw new FormatException($"--probe-period: '{text}' is not a number of seconds between 0 and 3600");
                    break;
                default:
                    throw new FormatException($"unknown option '{name}' (--help lists them)");
            }
        }

        if (!options.Help && options.PodIps is null)
        {
            throw new FormatException("--pod-ips: required (the addresses pods get, e.g. 127.0.0.21-127.0.0.40)");
        }

        return options;
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
