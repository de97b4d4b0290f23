using System.CommandLine;
using DesktopOperator.Commands;

var root = new RootCommand("desktop-operator: a Kubernetes operator and gateway for remote-desktop session hosts.");
root.Subcommands.Add(CrdsCommand.Create());
root.Subcommands.Add(StandaloneCommand.Create());
return await root.Parse(args).InvokeAsync();
