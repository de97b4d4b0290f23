namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>The fenced <c>```sh</c> blocks of one README section, as written (continuation lines and comments kept).</summary>
internal static class ReadmeShellBlocks
{
    /// <summary>The blocks of the <c>## </c> section whose heading starts with <paramref name="heading"/>.</summary>
    public static IReadOnlyList<string> Of(string readme, string heading)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("## " + heading, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no section '## {heading}'");
        }

        var blocks = new List<string>();
        List<string>? block = null;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (block is null && lines[i] == "```sh")
            {
                block = [];
            }
            else if (block is not null && lines[i] == "```")
            {
                blocks.Add(string.Join('\n', block));
                block = null;
            }
            else
            {
                block?.Add(lines[i]);
            }
        }

        return blocks;
    }

    /// <summary>The commands of a block: one per line, a line ending in a backslash joined with the next.</summary>
    public static IReadOnlyList<string> Commands(string block) =>
        block.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
