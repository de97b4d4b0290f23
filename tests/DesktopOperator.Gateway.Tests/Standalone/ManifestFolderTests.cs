using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Gateway.Tests.Standalone;

/// <summary>The folder mechanics, with a toy loader: each line is a resource, a line "!why" makes the file invalid.</summary>
public sealed class ManifestFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("manifests-").FullName;
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Rescan_ValidFiles_LoadsAllInFileNameOrder()
    {
        Write("b.yaml", "pool-b");
        Write("a.yml", "pool-a1", "pool-a2");
        Write("notes.txt", "ignored");
        using var folder = Open();

        Assert.True(folder.Rescan());

        Assert.Equal(["pool-a1", "pool-a2", "pool-b"], folder.Current);
        Assert.Empty(folder.Errors);
    }

    [Fact]
    public void Rescan_InvalidFile_IsSkippedWithItsErrorsAndOthersKeepWorking()
    {
        Write("a.yaml", "pool-a");
        Write("bad.yaml", "!spec.capacity.maxHosts: must be >= minHosts (3)");
        using var folder = Open();

        folder.Rescan();

        Assert.Equal(["pool-a"], folder.Current);
        Assert.Equal(["spec.capacity.maxHosts: must be >= minHosts (3)"], folder.Errors["bad.yaml"]);
    }

    [Fact]
    public void Rescan_FileBecomesInvalid_KeepsItsLastGoodVersion()
    {
        Write("a.yaml", "pool-a");
        using var folder = Open();
        folder.Rescan();

        Write("a.yaml", "!spec: broken");

        Assert.False(folder.Rescan());
        Assert.Equal(["pool-a"], folder.Current);
        Assert.Single(folder.Errors["a.yaml"]);

        Write("a.yaml", "pool-a2");
        Assert.True(folder.Rescan());
        Assert.Equal(["pool-a2"], folder.Current);
        Assert.Empty(folder.Errors);
    }

    [Fact]
    public void Rescan_UnchangedContent_IsNotReloaded()
    {
        Write("a.yaml", "pool-a");
        var loads = 0;
        using var folder = new ManifestFolder<string>(_folder, p => { loads++; return Load(p); }, _time, NullLogger.Instance, TimeSpan.FromHours(1));
        folder.Rescan();

        Assert.False(folder.Rescan());
        Assert.Equal(1, loads);
    }

    [Fact]
    public void Rescan_FileDeleted_RemovesItsResources()
    {
        Write("a.yaml", "pool-a");
        Write("b.yaml", "pool-b");
        using var folder = Open();
        folder.Rescan();

        File.Delete(Path.Combine(_folder, "a.yaml"));

        Assert.True(folder.Rescan());
        Assert.Equal(["pool-b"], folder.Current);
    }

    [Fact]
    public async Task FileWritten_IsPickedUpByTheWatcherAfterTheDebounce()
    {
        using var folder = Open();
        folder.Rescan();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        folder.Changed += (_, _) => changed.TrySetResult();

        Write("new.yaml", "pool-new");
        // The poll timer is always armed; the watcher's event arms the debounce timer as the second one.
        await Eventually.WaitAsync(() => _time.ActiveTimers == 2, "the debounce timer");
        _time.Advance(TimeSpan.FromMilliseconds(200));

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["pool-new"], folder.Current);
    }

    [Fact]
    public async Task PeriodicRescan_PicksUpChangesEvenWithoutWatcherEvents()
    {
        using var folder = Open();
        folder.Rescan();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        folder.Changed += (_, _) => changed.TrySetResult();
        Write("late.yaml", "pool-late");

        _time.Advance(TimeSpan.FromSeconds(30));

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["pool-late"], folder.Current);
    }

    [Fact]
    public async Task PeriodicRescan_FolderCannotBeListed_KeepsEveryResourceAndRecoversAtTheNextPoll()
    {
        // What EMFILE does to the gateway: the timer's rescan cannot open the folder. It must not end the process.
        Write("a.yaml", "pool-a");
        using var folder = Open();
        folder.Rescan();
        var aside = _folder + "-aside";
        Directory.Move(_folder, aside);
        try
        {
            _time.Advance(TimeSpan.FromSeconds(30)); // the rescan throws DirectoryNotFoundException inside the timer

            Assert.Equal(["pool-a"], folder.Current);
        }
        finally
        {
            Directory.Move(aside, _folder);
        }

        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        folder.Changed += (_, _) => changed.TrySetResult();
        Write("b.yaml", "pool-b");
        _time.Advance(TimeSpan.FromSeconds(30));

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["pool-a", "pool-b"], folder.Current);
    }

    private ManifestFolder<string> Open() => new(_folder, Load, _time, NullLogger.Instance, TimeSpan.FromSeconds(30));

    private void Write(string name, params string[] lines) => File.WriteAllLines(Path.Combine(_folder, name), lines);

    private static ManifestFileResult<string> Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var errors = lines.Where(l => l.StartsWith('!')).Select(l => l[1..]).ToArray();
        return errors.Length > 0 ? ManifestFileResult<string>.Invalid(errors) : ManifestFileResult<string>.Valid(lines);
    }
}
