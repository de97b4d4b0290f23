using System.CommandLine;

namespace DesktopOperator.Commands;

/// <summary>The parse errors of a command line as one line, with where to find the options.</summary>
internal static class CommandLineErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = string.Join(' ', parse.CommandResult.Command.Name == parse.RootCommandResult.Command.Name
            ? ["desktop-operator"]
            : new[] { "desktop-operator", parse.CommandResult.Command.Name });
        var errors = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
        return $"{errors} (see: {command} --help)";
    }
}
