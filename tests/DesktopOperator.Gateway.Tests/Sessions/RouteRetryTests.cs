using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class RouteRetryTests
{
    [Fact]
    public async Task OnConflictAsync_ConflictsThenSuccess_RetriesUntilItLands()
    {
        var attempts = 0;

        var result = await RouteRetry.OnConflictAsync(
            _ => ++attempts < 3 ? throw new RouteConflictException() : ValueTask.FromResult("landed"),
            CancellationToken.None);

        Assert.Equal(("landed", 3), (result, attempts));
    }

    [Fact]
    public async Task OnConflictAsync_ConflictEveryTime_GivesUpAfterMaxAttempts()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<RouteConflictException>(async () => await RouteRetry.OnConflictAsync<int>(
            _ =>
            {
                attempts++;
                throw new RouteConflictException();
            },
            CancellationToken.None));

        Assert.Equal(RouteRetry.MaxAttempts, attempts);
    }

    [Fact]
    public async Task OnConflictAsync_OtherError_NotRetried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<IOException>(async () => await RouteRetry.OnConflictAsync<int>(
            _ =>
            {
                attempts++;
                throw new IOException("disk");
            },
            CancellationToken.None));

        Assert.Equal(1, attempts);
    }
}
