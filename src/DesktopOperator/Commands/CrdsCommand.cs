using System.CommandLine;
using System.Text;
using DesktopOperator.Api.Crds;

namespace DesktopOperator.Commands;

/// <summary><c>desktop-operator crds --output DIR [--chart DIR]</c>: writes the CRDs generated from the API types.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write the CRD YAML files into (e.g. crds).", Required = true, HelpName = "DIR" };
        var chart = new Option<DirectoryInfo?>("--chart")
        {
            Description = "Also write the chart's CRD templates into DIR/templates (e.g. charts/desktop-operator).",
            HelpName = "DIR",
        };
        var command = new Command("crds", "Write the CustomResourceDefinitions generated from the API types.") { output, chart };
        command.SetAction(async (parse, ct) =>
        {
            await WriteAsync(parse.GetValue(output)!, CrdGenerator.GenerateCrds(), ct);
            if (parse.GetValue(chart) is { } chartDir)
            {
                await WriteAsync(chartDir, CrdGenerator.GenerateChartTemplates(), ct);
            }

            return 0;
        });
        return command;
    }

    private static async Task WriteAsync(DirectoryInfo root, IReadOnlyList<GeneratedFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(root.FullName, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
            Console.WriteLine(path);
        }
    }
}
