using System.CommandLine;
using DesktopOperator.Commands;

var root = new RootCommand("desktop-operator: a Kubernetes operator and gateway for remote-desktop session hosts.");
root.Subcommands.Add(CrdsCommand.Create());
root.Subcommands.Add(StandaloneCommand.Create());
root.Subcommands.Add(OperatorCommand.Create());
root.Subcommands.Add(GatewayCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line naming the option and the cause, not the whole help text.
    await Console.Error.WriteLineAsync(CommandLineErrors.Describe(parse));
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
