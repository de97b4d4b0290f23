using System.Globalization;
using System.Net;
using System.Reflection;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// Runs <see cref="BackendServer"/> in a child process (this executable, <c>proxy-backend</c> subcommand) and reads the
/// port it announces. Disposing kills it by PID.
/// </summary>
internal sealed class BackendProcess : IAsyncDisposable
{
    /// <summary>The line a backend subcommand prints, followed by its port.</summary>
    internal const string PortLine = "backend listening on port ";
    private readonly ChildProcess _process;

    private BackendProcess(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public static Task<BackendProcess> StartAsync(IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken) =>
        StartAsync("proxy-backend", addresses, cancellationToken);

    /// <summary>Runs the backend <paramref name="command"/> of this executable on <paramref name="addresses"/>; it prints <see cref="PortLine"/>.</summary>
    public static async Task<BackendProcess> StartAsync(string command, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken)
    {
        var (self, arguments) = SelfCommand(command);
        arguments.AddRange(addresses.Select(a => a.ToString()));
        var process = ChildProcess.Start("backend", self, arguments, HostLogs.CreateDirectory("bench-backend"));
        var port = 0;
        var ready = await Eventually.HoldsAsync(
            () => process.HasExited || TryReadPort(process, out port), TimeSpan.FromSeconds(30), cancellationToken);
        if (!ready || process.HasExited)
        {
            var output = process.ReadOutput();
            await process.DisposeAsync();
            throw new InvalidOperationException("backend did not start: " + output);
        }

        return new BackendProcess(process, port);
    }

    /// <summary>How to run a subcommand of this executable in a child process: its path, and its arguments so far.</summary>
    internal static (string Executable, List<string> Arguments) SelfCommand(string command)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments.Add(Assembly.GetEntryAssembly()!.Location);
        }

        arguments.Add(command);
        return (self, arguments);
    }

    /// <summary>The <c>proxy-backend</c> subcommand: serve until stdin closes (the parent is gone) or it is killed.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> addresses)
    {
        await using var server = new BackendServer();
        server.Start([.. addresses.Select(IPAddress.Parse)], 0);
        Console.WriteLine(PortLine + server.Port.ToString(CultureInfo.InvariantCulture));
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        var folder = _process.LogDirectory;
        await _process.DisposeAsync();
        HostLogs.Remove(folder);
    }

    private static bool TryReadPort(ChildProcess process, out int port)
    {
        port = 0;
        var output = process.ReadOutput();
        var at = output.IndexOf(PortLine, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var digits = new string([.. output[(at + PortLine.Length)..].TakeWhile(char.IsAsciiDigit)]);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }
}
