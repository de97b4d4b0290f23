using System.Text;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>
/// Replays every golden transcript of a real kube-apiserver 1.24 against the test API server. A step that differs
/// must be listed in KNOWN-DIFFERENCES.md with its reason, and a listed step must still differ (keeps the list honest).
/// </summary>
public sealed class GoldenTranscriptTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "ApiServer", "Transcripts"), "*.json").Order())
        {
            data.Add(Path.GetFileNameWithoutExtension(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Replay_Transcript_MatchesRecordedResponsesExceptKnownDifferences(string file)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var known = KnownDifferences.Load().Where(k => k.File == file).ToList();
        var replayer = new TranscriptReplayer(Path.Combine(AppContext.BaseDirectory, "ApiServer", "Transcripts", file + ".json"), known.Select(k => k.Step).ToHashSet());
        var results = await replayer.RunAsync(cts.Token);
        var report = new StringBuilder();
        foreach (var (step, diffs) in results)
        {
            var listed = known.Any(k => k.Step == step);
            if (diffs.Count > 0 && !listed)
            {
                report.Append("UNLISTED DIFFERENCE in step '").Append(step).Append("':\n  ").AppendJoin("\n  ", diffs).Append('\n');
            }
            else if (diffs.Count == 0 && listed)
            {
                report.Append("LISTED step '").Append(step).Append("' no longer differs: remove it from KNOWN-DIFFERENCES.md\n");
            }
        }

        foreach (var k in known.Where(k => !results.ContainsKey(k.Step)))
        {
            report.Append("LISTED step '").Append(k.Step).Append("' does not exist in the transcript\n");
        }

        Assert.True(report.Length == 0, report.ToString());
    }
}
