using System.CommandLine;
using System.Globalization;
using System.Net;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Hosting;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Commands;

/// <summary>
/// Options whose values are checked while the command line is parsed, so a bad value ends the program before anything
/// starts, with one line naming the option and why (exit code 2).
/// </summary>
internal static class CommandOptions
{
    /// <summary>A count where 0 means "no limit"; negative numbers and non-numbers are refused.</summary>
    public static Option<int> Limit(string name, string description) => new(name)
    {
        Description = $"{description} 0 = no limit (the default).",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError(text.StartsWith('-')
                    ? $"{name}: must be 0 (no limit) or more, not '{text}'"
                    : $"{name}: '{text}' is not a whole number");
                return 0;
            }

            return value;
        },
    };

    /// <summary>
    /// <c>--max-connections</c>: the gateway-wide cap on live TCP proxy connections (one option for every gateway
    /// command). Absent = derived from the open-file limit; a value the limit cannot serve (two descriptors per
    /// connection) is refused with the limit in the message.
    /// </summary>
    public static Option<int> MaxConnections(long? openFileLimit)
    {
        const string name = "--max-connections";
        var ceiling = GatewayConnectionCap.CeilingFor(openFileLimit);
        var derived = GatewayConnectionCap.DefaultFor(openFileLimit);
        return new Option<int>(name)
        {
            Description = derived > 0
                ? $"Live TCP connections through this gateway, all pools together; more are reset at once. Default: (open-file limit - {GatewayConnectionCap.Reserve}) / 2 = {derived.ToString(CultureInfo.InvariantCulture)} here."
                : "Live TCP connections through this gateway, all pools together; more are reset at once. Default: derived from the open-file limit (none known here: no cap).",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
                {
                    result.AddError($"{name}: must be a whole number of 1 or more, not '{text}'");
                    return 0;
                }

                if (value > ceiling)
                {
                    result.AddError($"{name}: {value.ToString(CultureInfo.InvariantCulture)} connections need {(2L * value).ToString(CultureInfo.InvariantCulture)} open files but the limit is {openFileLimit!.Value.ToString(CultureInfo.InvariantCulture)}: raise it (LimitNOFILE, ulimit -n) or lower {name}");
                    return 0;
                }

                return value;
            },
        };
    }

    /// <summary>
    /// <c>--io-threads</c>: how many threads run the gateway's socket I/O: the socket engine's (<see cref="SocketEngine"/>)
    /// and the relay's (<c>TcpProxyOptions.RelayThreads</c>).
    /// </summary>
    public static Option<int> IoThreads()
    {
        const string name = "--io-threads";
        return new Option<int>(name)
        {
            Description = $"Threads for the TCP pools, as HAProxy's: N relay threads that move the bytes of established connections, and N socket event threads for accept, handshake, routing and connect (default 1; up to {SocketEngine.MaxIoThreads.ToString(CultureInfo.InvariantCulture)}). 0 = run all of it on the .NET thread pool instead.",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > SocketEngine.MaxIoThreads)
                {
                    result.AddError($"{name}: must be a whole number from 0 to {SocketEngine.MaxIoThreads.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
                    return 1;
                }

                return value;
            },
        };
    }

    public static Option<IPAddress> Address(string name, string description, string defaultValue) => new(name)
    {
        Description = description,
        HelpName = "IP",
        DefaultValueFactory = _ => IPAddress.Parse(defaultValue),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            // IPAddress.TryParse also takes legacy forms such as 1.2.3 (= 1.2.0.3) or 0x7f.1: an IPv4 address must be
            // written as its four numbers.
            if (IPAddress.TryParse(text, out var address) &&
                (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || address.ToString() == text))
            {
                return address;
            }

            result.AddError($"{name}: '{text}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::)");
            return IPAddress.None;
        },
    };

    /// <summary>Address ranges (<c>10.0.0.0/8</c>) or single addresses, repeatable and comma-separated.</summary>
    public static Option<IReadOnlyList<IPNetwork>> Networks(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "CIDR",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var networks = new List<IPNetwork>();
            foreach (var text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (IPNetwork.TryParse(text, out var network))
                {
                    networks.Add(network);
                }
                else if (IPAddress.TryParse(text, out var address) && address.ToString() == text)
                {
                    networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
                }
                else
                {
                    result.AddError($"{name}: '{text}' is not an address or range (e.g. 10.0.0.5 or 10.0.0.0/8)");
                }
            }

            return networks;
        },
    };

    /// <summary>A TCP port, 1 to 65535; absent = null (the command then takes its own default).</summary>
    public static Option<int?> Port(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "PORT",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                result.AddError($"{name}: must be a port from 1 to 65535, not '{text}'");
                return null;
            }

            return value;
        },
    };

    /// <summary>An <c>http://host:port</c> URL as Kestrel binds it (an IP address, <c>localhost</c>, or <c>*</c> for all).</summary>
    public static Option<string> HttpUrl(string name, string description, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "URL", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : defaultValue;
            if (WhyNotUrl(text, "http") is { } why)
            {
                result.AddError($"{name}: '{text}' {why}");
            }
        });
        return option;
    }

    /// <summary>An <c>https://host:port</c> URL as Kestrel binds it; no default (HTTPS is off unless given).</summary>
    public static Option<string> HttpsUrl(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "URL" };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (WhyNotUrl(text, "https") is { } why)
            {
                result.AddError($"{name}: '{text}' {why}");
            }
        });
        return option;
    }

    private static string? WhyNotUrl(string text, string scheme)
    {
        var example = scheme == "https" ? "https://0.0.0.0:8443" : "http://127.0.0.1:8080";
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(text);
        }
        catch (FormatException)
        {
            return $"is not a URL such as {example}";
        }

        if (!string.Equals(address.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            return scheme == "https"
                ? $"must start with https:// (the endpoint serves TLS), e.g. {example}"
                : $"must start with http:// (the endpoint serves plain HTTP), e.g. {example}";
        }

        if (address.Host.Length == 0 || (address.Host is not ("*" or "+" or "localhost") && !IPAddress.TryParse(address.Host.Trim('[', ']'), out _)))
        {
            return $"needs an IP address, localhost or * as its host, e.g. {example}";
        }

        if (address.Port is <= 0 or > 65535)
        {
            return $"has no valid port, e.g. {example}";
        }

        return address.PathBase.Length > 0 ? "must not have a path: the endpoints are /metrics, /healthz, /readyz and /api/status" : null;
    }
}
