using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DesktopOperator.Api.Yaml;

/// <summary>
/// Wraps YamlDotNet's parser for <see cref="YamlDotNet.RepresentationModel.YamlStream"/>: remembers where the last
/// event ended, so that an error YamlDotNet raises without a location (its scanner throws a bare
/// <see cref="InvalidOperationException"/> on some truncated flow collections) still gets a line; and stops
/// nesting deeper than <see cref="MaxDepth"/>, because the representation model recurses per level and a
/// document like <c>[[[[…</c> would otherwise overflow the stack and kill the process.
/// </summary>
internal sealed class TrackingParser(IParser inner, string sourceName) : IParser
{
    /// <summary>Far deeper than any manifest (a pod template nests about 10 levels).</summary>
    public const int MaxDepth = 100;

    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public Mark LastEnd { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > MaxDepth:
                throw new ResourceYamlException(sourceName, inner.Current.Start.Line, inner.Current.Start.Column,
                    $"nested more than {MaxDepth} levels deep");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        if (inner.Current is { } current)
        {
            LastEnd = current.End;
        }

        return moved;
    }
}
