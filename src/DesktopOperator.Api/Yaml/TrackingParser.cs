using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DesktopOperator.Api.Yaml;

/// <summary>
/// Remembers where the last parsed event ended, so that an error YamlDotNet raises without a location (its scanner
/// throws a bare <see cref="InvalidOperationException"/> on some truncated flow collections) still gets a line.
/// </summary>
internal sealed class TrackingParser(IParser inner) : IParser
{
    public ParsingEvent? Current => inner.Current;

    public Mark LastEnd { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current)
        {
            LastEnd = current.End;
        }

        return moved;
    }
}
