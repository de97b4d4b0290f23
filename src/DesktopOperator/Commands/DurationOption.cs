using System.CommandLine;

namespace DesktopOperator.Commands;

/// <summary>
/// A Go-style duration option (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, as manifests write them) that must be more than
/// zero. Its default is stated once, in the same format, in the description (the help's own <c>[default: …]</c>
/// would print it a second time as <c>00:00:30</c>).
/// </summary>
internal sealed class DurationOption
{
    public DurationOption(string name, string description, string defaultValue)
    {
        Default = Api.Durations.Duration.Parse(defaultValue);
        Option = new Option<TimeSpan?>(name)
        {
            Description = $"{description} Default {defaultValue}.",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!Api.Durations.Duration.TryParse(text, out var value))
                {
                    result.AddError($"{name}: '{text}' is not a duration such as 30s, 5m or 1h30m");
                    return null;
                }

                if (value <= TimeSpan.Zero)
                {
                    result.AddError($"{name}: must be more than 0 (e.g. {defaultValue}), not '{text}'");
                    return null;
                }

                return value;
            },
        };
    }

    public Option<TimeSpan?> Option { get; }

    public TimeSpan Default { get; }

    public TimeSpan GetValue(ParseResult parse) => parse.GetValue(Option) ?? Default;
}
