namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>The wait-until helper returns as soon as its condition holds and otherwise fails loudly.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task Until_ConditionHoldsOnTheThirdLook_ReturnsWhatItSaw()
    {
        var looks = 0;

        var seen = await Eventually.Until(() => Task.FromResult(++looks), n => n == 3, "the third look", TimeSpan.FromSeconds(10));

        Assert.Equal(3, seen);
        Assert.Equal(3, looks);
    }

    [Fact]
    public async Task Until_NeverTrue_ThrowsNamingWhatItWaitedForAndWhatItLastSaw()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.Until(
            () => Task.FromResult(false), "the rows settled", TimeSpan.FromMilliseconds(300), describe: () => Task.FromResult("3 rows still Queued")));

        Assert.Contains("until the rows settled", error.Message, StringComparison.Ordinal);
        Assert.Contains("Last seen: 3 rows still Queued", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Until_ALookThrows_TheExceptionIsNotSwallowed()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.Until(
            () => Task.FromException<bool>(new InvalidOperationException("the process exited")), "ready", TimeSpan.FromSeconds(10)));

        Assert.Equal("the process exited", error.Message);
    }

    [Fact]
    public async Task Until_ALookNeverReturns_ThrowsNamingWhatItWaitedForAndWhatTheLookBeforeSaw()
    {
        var looks = 0;
        var never = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The second look hangs (a query on a dead connection, a browser that stopped answering); the wait still ends.
        var waiting = Assert.ThrowsAsync<TimeoutException>(() => Eventually.Until(
            () => ++looks == 1 ? Task.FromResult("3 rows still Queued") : never.Task,
            seen => seen == "settled",
            "the rows settled",
            TimeSpan.FromMilliseconds(300),
            seen => seen));
        var error = await waiting.Within(TimeSpan.FromSeconds(60), "Eventually.Until did not give up on a look that never returns");

        Assert.Contains("until the rows settled", error.Message, StringComparison.Ordinal);
        Assert.Contains("look 2 did not return", error.Message, StringComparison.Ordinal);
        Assert.Contains("Last seen: 3 rows still Queued", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, looks);
    }
}
