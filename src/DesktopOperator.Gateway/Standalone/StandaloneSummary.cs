namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// What the standalone gateway serves after loading its manifest folder, as the start-up and reload log line and as
/// readiness: rejected files and unserved ports count as problems, so a gateway never says "0 problems" (or ready)
/// while it serves less than its manifests ask.
/// </summary>
internal sealed record StandaloneSummary(int Pools, IReadOnlyList<string> RejectedFiles, IReadOnlyList<string> Problems)
{
    public bool HasProblems => RejectedFiles.Count > 0 || Problems.Count > 0;

    /// <summary>
    /// Why <c>/readyz</c> must not answer 200, or null: a pool's port is not bound or is claimed twice (a problem of
    /// the plan), or every manifest was rejected. A rejected file beside served pools (or held at its last good
    /// version) leaves the gateway ready: it is in the log and in /api/status.
    /// </summary>
    public string? NotReadyReason =>
        Problems.Count > 0 ? $"not every pool is served: {Problems[0]}"
        : Pools == 0 && RejectedFiles.Count > 0 ? $"every manifest was rejected: {string.Join(", ", RejectedFiles)}"
        : null;

    /// <summary><c>2 pools loaded, 1 file rejected: bad.yaml</c>, <c>1 pool loaded, no problems</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { Count(Pools, "pool", "pools") + " loaded" };
        if (RejectedFiles.Count > 0)
        {
            parts.Add($"{Count(RejectedFiles.Count, "file", "files")} rejected: {string.Join(", ", RejectedFiles)}");
        }

        if (Problems.Count > 0)
        {
            parts.Add($"{Count(Problems.Count, "problem", "problems")}: {string.Join("; ", Problems)}");
        }

        if (!HasProblems)
        {
            parts.Add("no problems");
        }

        return string.Join(", ", parts);
    }

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
