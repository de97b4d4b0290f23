namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>Rows of the table in tests/DesktopOperator.Testing/ApiServer/KNOWN-DIFFERENCES.md: | transcript | step | reason |.</summary>
internal sealed record KnownDifferences(string File, string Step, string Reason)
{
    public static List<KnownDifferences> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "ApiServer", "KNOWN-DIFFERENCES.md");
        var rows = new List<KnownDifferences>();
        foreach (var line in System.IO.File.ReadAllLines(path))
        {
            var cells = line.Split('|');
            if (cells.Length < 5 || !line.StartsWith("| ", StringComparison.Ordinal))
            {
                continue;
            }

            var file = cells[1].Trim();
            if (file.Length < 3 || !char.IsDigit(file[0]))
            {
                continue;
            }

            rows.Add(new KnownDifferences(file, cells[2].Trim().Replace("\\|", "|", StringComparison.Ordinal), cells[3].Trim()));
        }

        return rows;
    }
}
