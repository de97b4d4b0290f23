using System.CommandLine;
using System.Globalization;
using System.Net;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.TestApiServer;

/// <summary>
/// The options of the program on System.CommandLine (as the product's commands): values are checked while parsing, so
/// a bad one is a parse error (one line, exit code 2); <see cref="Read"/> gives the checked options.
/// </summary>
internal sealed class ServerCommandLine
{
    private static readonly Option<IPEndPoint> ListenOption = new("--listen")
    {
        Description = "Where to serve plain HTTP, or HTTPS with --tls (port 0: a free port).",
        HelpName = "HOST:PORT",
        DefaultValueFactory = _ => new IPEndPoint(IPAddress.Loopback, 0),
        CustomParser = result => ParseEndPoint(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty, result.AddError),
    };

    private static readonly Option<string> KubeconfigOutOption = new("--kubeconfig-out")
    {
        Description = "Write a kubeconfig for this server there (required).",
        HelpName = "FILE",
    };

    private static readonly Option<string> CrdsOption = new("--crds")
    {
        Description = "Register the CRDs of every *.yaml, *.yml and *.json file in DIR at start.",
        HelpName = "DIR",
        CustomParser = result =>
        {
            var folder = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!Directory.Exists(folder))
            {
                result.AddError($"--crds: '{folder}' is not a folder");
            }

            return folder;
        },
    };

    private static readonly Option<string> TokenOption = new("--token")
    {
        Description = "Require 'Authorization: Bearer TOKEN' (written into the kubeconfig).",
        HelpName = "TOKEN",
    };

    private static readonly Option<bool> TlsOption = new("--tls")
    {
        Description = "Serve HTTPS with a certificate of a CA made at start (in the kubeconfig); authenticate client certificates of that CA (the user is the CN). Without --token the kubeconfig's user is a client certificate (CN=kubernetes-admin, O=system:masters).",
    };

    private static readonly Option<bool> BareOption = new("--bare")
    {
        Description = "A bare kube-apiserver: no garbage collector, namespace, ServiceAccount, node lifecycle, pod GC or disruption controllers (kube-controller-manager's work).",
    };

    private ServerCommandLine()
    {
    }

    public IPEndPoint Listen { get; private init; } = new(IPAddress.Loopback, 0);

    public string KubeconfigOut { get; private init; } = string.Empty;

    public string? CrdFolder { get; private init; }

    public IReadOnlyList<string> CrdFiles { get; private init; } = [];

    public string? Token { get; private init; }

    public bool Tls { get; private init; }

    public bool Bare { get; private init; }

    public static RootCommand CreateCommand() => new("The test API server (plain HTTP, or HTTPS with --tls) until Ctrl-C or SIGTERM, with a kubeconfig for kubectl, the operator and the simulated node.")
    {
        ListenOption, KubeconfigOutOption, CrdsOption, TokenOption, TlsOption, BareOption,
    };

    /// <summary>The options of a parse without errors; throws <see cref="FormatException"/> with one line for what parsing cannot see.</summary>
    public static ServerCommandLine Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var kubeconfigOut = parse.GetValue(KubeconfigOutOption);
        if (string.IsNullOrEmpty(kubeconfigOut))
        {
            throw new FormatException("--kubeconfig-out: required (where to write the kubeconfig for this server)");
        }

        var folder = parse.GetValue(CrdsOption);
        return new ServerCommandLine
        {
            Listen = parse.GetValue(ListenOption)!,
            KubeconfigOut = kubeconfigOut,
            CrdFolder = folder,
            CrdFiles = folder is null ? [] : [.. Directory.EnumerateFiles(folder).Where(IsManifest).Order(StringComparer.Ordinal)],
            Token = parse.GetValue(TokenOption),
            Tls = parse.GetValue(TlsOption),
            Bare = parse.GetValue(BareOption),
        };
    }

    public TestApiServerOptions ToServerOptions()
    {
        var server = new TestApiServerOptions { ListenEndPoint = Listen, BearerToken = Token, Tls = Tls ? new TestApiServerTls() : null };
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

    private static IPEndPoint ParseEndPoint(string text, Action<string> error)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(text.AsSpan(0, colon).Trim('[').Trim(']'), out var address)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            error($"--listen: '{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:0)");
            return new IPEndPoint(IPAddress.Loopback, 0);
        }

        return new IPEndPoint(address, port);
    }
}
