using System.CommandLine;

namespace DesktopOperator.Commands;

internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write the CRD YAML files into.", Required = true };
        var command = new Command("crds", "Write the CustomResourceDefinitions generated from the API types.") { output };
        command.SetAction((parse, ct) =>
        {
            var dir = parse.GetValue(output)!;
            Console.WriteLine(dir.FullName);
            return Task.FromResult(0);
        });
        return command;
    }
}
