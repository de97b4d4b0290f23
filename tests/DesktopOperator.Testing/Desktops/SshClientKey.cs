using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// An ed25519 key pair made with ssh-keygen for the real ssh client. One key can be authorised on several
/// <see cref="SshdHost"/>s, so a client behind a gateway logs in wherever it lands.
/// </summary>
public sealed class SshClientKey
{
    private SshClientKey(string privateKeyPath, string publicKey)
    {
        PrivateKeyPath = privateKeyPath;
        PublicKey = publicKey;
    }

    public string PrivateKeyPath { get; }

    /// <summary>The authorized_keys line.</summary>
    public string PublicKey { get; }

    /// <summary>Generates a key without a passphrase into <paramref name="directory"/>.</summary>
    public static async Task<SshClientKey> CreateAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "client_ed25519");
        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("ssh-keygen"),
            ["-q", "-t", "ed25519", "-N", string.Empty, "-C", "desktop-operator-tests", "-f", path],
            TimeSpan.FromSeconds(20),
            cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("ssh-keygen failed: " + result);
        }

        return new SshClientKey(path, (await File.ReadAllTextAsync(path + ".pub", cancellationToken)).Trim());
    }
}
