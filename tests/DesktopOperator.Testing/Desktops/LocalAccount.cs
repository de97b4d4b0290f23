using DesktopOperator.Testing.Waiting;
using System.Security.Cryptography;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// A throw-away local Unix account (<c>useradd -m</c>, password set through <c>chpasswd</c>) with a random name and
/// password, for servers that log real users in through PAM (xrdp-sesman). Needs root (<see cref="CanCreate"/>).
/// Disposing kills every process the account still owns (by PID, read from /proc) and removes it with its home
/// (<c>userdel -r</c>).
/// </summary>
public sealed class LocalAccount : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);

    private LocalAccount(string name, string password, int userId)
    {
        Name = name;
        Password = password;
        UserId = userId;
    }

    public string Name { get; }

    public string Password { get; }

    public int UserId { get; }

    /// <summary>True when this process runs as root, which useradd needs.</summary>
    public static bool CanCreate => OwnerOf("self") == 0;

    public static async Task<LocalAccount> CreateAsync(CancellationToken cancellationToken)
    {
        var name = "dotest" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var password = "Pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var add = await ProcessRunner.RunAsync(
            ExternalTools.Require("useradd"), ["-m", "-s", "/bin/sh", "-c", "desktop-operator test account", name], ToolTimeout, cancellationToken);
        if (!add.Succeeded)
        {
            throw new InvalidOperationException($"cannot create the test account {name}: {add}");
        }

        var account = new LocalAccount(name, password, UserIdOf(name));
        var set = await ProcessRunner.RunAsync(
            ExternalTools.Require("chpasswd"), [], ToolTimeout, cancellationToken, standardInput: $"{name}:{password}\n");
        if (!set.Succeeded)
        {
            await account.DisposeAsync();
            throw new InvalidOperationException($"cannot set the password of {name}: {set}");
        }

        return account;
    }

    /// <summary>An account made outside the tests (a README block's demo account), to be removed as one of ours is.</summary>
    public static LocalAccount Adopt(string name, string password) => new(name, password, UserIdOf(name));

    /// <summary>True when /etc/passwd has an account <paramref name="name"/>.</summary>
    public static bool Exists(string name) => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>PIDs of the live processes running as this account (effective uid), from /proc.</summary>
    public IReadOnlyList<int> ProcessIds() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 1 && OwnerOf(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)) == UserId && ProcessSignals.IsAlive(pid))];

    /// <summary>The command line of <paramref name="processId"/> (NUL separators as spaces), or empty when it is gone.</summary>
    public static string CommandLine(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in ProcessIds())
        {
            ProcessSignals.Signal(pid, ProcessSignals.SigKill);
        }

        await Eventually.HoldsAsync(() => ProcessIds().Count == 0, TimeSpan.FromSeconds(10), CancellationToken.None);
        await ProcessRunner.RunAsync(ExternalTools.Require("userdel"), ["-r", "-f", Name], ToolTimeout, CancellationToken.None);
    }

    private static int UserIdOf(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == name)
            {
                return int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"the account {name} is not in /etc/passwd");
    }

    /// <summary>The effective uid of /proc/<paramref name="process"/>, or -1 when it is gone.</summary>
    private static int OwnerOf(string process)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process}/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } ? int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
