using System.Globalization;
using System.Net;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.TestApiServer;

/// <summary>The options of the program; <see cref="Parse"/> throws <see cref="FormatException"/> with one line.</summary>
internal sealed class ServerCommandLine
{
    public const string Usage = """
        Usage: DesktopOperator.TestApiServer --kubeconfig-out FILE [options]
          --listen HOST:PORT        where to serve plain HTTP (default 127.0.0.1:0, a free port)
          --kubeconfig-out FILE     write a kubeconfig for this server there (required)
          --crds DIR                register the CRDs of every *.yaml, *.yml and *.json file in DIR at start
          --token TOKEN             require 'Authorization: Bearer TOKEN' (written into the kubeconfig)
          --bare                    a bare kube-apiserver: no garbage collector, namespace, ServiceAccount, node
                                    lifecycle, pod GC or disruption controllers (kube-controller-manager's work)
        """;

    private ServerCommandLine()
    {
    }

    public bool Help { get; private set; }

    public IPEndPoint Listen { get; private set; } = new(IPAddress.Loopback, 0);

    public string KubeconfigOut { get; private set; } = string.Empty;

    public string? CrdFolder { get; private set; }

    public IReadOnlyList<string> CrdFiles { get; private set; } = [];

    public string? Token { get; private set; }

    public bool Bare { get; private set; }

    public static ServerCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new ServerCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name}: a value is required");
            switch (name)
            {
                case "--help" or "-h":
                    options.Help = true;
                    break;
                case "--listen":
                    options.Listen = ParseEndPoint(Value());
                    break;
                case "--kubeconfig-out":
                    options.KubeconfigOut = Value();
                    break;
                case "--crds":
                    options.CrdFolder = Value();
                    break;
                case "--token":
                    options.Token = Value();
                    break;
                case "--bare":
                    options.Bare = true;
                    break;
                default:
                    throw new FormatException($"unknown option '{name}' (--help lists them)");
            }
        }

        if (!options.Help && options.KubeconfigOut.Length == 0)
        {
            throw new FormatException("--kubeconfig-out: required (where to write the kubeconfig for this server)");
        }

        if (options.CrdFolder is { } folder)
        {
            options.CrdFiles = Directory.Exists(folder)
                ? [.. Directory.EnumerateFiles(folder).Where(IsManifest).Order(StringComparer.Ordinal)]
                : throw new FormatException($"--crds: '{folder}' is not a folder");
        }

        return options;
    }

    public TestApiServerOptions ToServerOptions()
    {
        var server = new TestApiServerOptions { ListenEndPoint = Listen, BearerToken = Token };
        if (Bare)
        {
            server.GarbageCollection = false;
            server.CreateDefaultServiceAccounts = false;
            server.NodeAndDisruptionControllers = false;
        }

        foreach (var file in CrdFiles)
        {
            server.CrdFiles.Add(file);
        }

        return server;
    }

    private static bool IsManifest(string path) =>
        Path.GetExtension(path) is ".yaml" or ".yml" or ".json";

    private static IPEndPoint ParseEndPoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(text.AsSpan(0, colon).Trim('[').Trim(']'), out var address)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            throw new FormatException($"--listen: '{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:0)");
        }

        return new IPEndPoint(address, port);
    }
}
