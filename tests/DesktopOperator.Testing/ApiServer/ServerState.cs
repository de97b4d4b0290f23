using System.Globalization;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Everything the handlers share: storage, served resources, options, clock and randomness.</summary>
internal sealed class ServerState(TestApiServerOptions options)
{
    private readonly Lock _randomGate = new();

    public TestApiServerOptions Options { get; } = options;

    public ObjectStore Store { get; } = new(options.InitialResourceVersion) { HistoryWindow = options.HistoryWindow };

    public ResourceRegistry Registry { get; } = new();

    public TimeProvider Time => Options.TimeProvider;

    public FaultInjection Faults { get; } = new();

    public RequestLog Requests { get; } = new();

    /// <summary>What ConfigMap <c>kube-root-ca.crt</c> holds in every namespace: the cluster CA, or a placeholder.</summary>
    public string RootCaPem { get; set; } = TestApiServer.RootCaPlaceholder;

    public string NowText() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public string NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_randomGate)
        {
            Options.Random.NextBytes(bytes);
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>Five characters from the alphabet the real name generator uses (no vowels, no confusable digits).</summary>
    public string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var chars = new char[5];
        lock (_randomGate)
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[Options.Random.Next(alphabet.Length)];
            }
        }

        return new string(chars);
    }
}
