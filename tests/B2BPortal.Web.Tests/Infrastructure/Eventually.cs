using System.Diagnostics;
using System.Globalization;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one way tests wait for something that happens in the background (workers, another process, a page's poll):
/// look, and look again every 100 ms until the condition holds. On timeout it throws a <see cref="TimeoutException"/>
/// that says what it was waiting for and what the last look saw; it never returns quietly. An exception from a
/// look is not "not yet": it propagates at once. Linked into the benchmark project too.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    /// <param name="condition">One look, e.g. a database query.</param>
    /// <param name="what">What is awaited, as a clause: "every row of batch X left Queued and Sending".</param>
    /// <param name="timeout">How long to keep looking.</param>
    /// <param name="describe">What the state is when it is not yet true, for the timeout message ("3 rows Queued").</param>
    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<Task<string>>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Until(
            condition,
            held => held,
            what,
            timeout,
            describe is null ? null : _ => describe());
    }

    /// <summary>Looks with <paramref name="probe"/> until <paramref name="holds"/> accepts what it saw, and returns that.</summary>
    /// <param name="describe">Turns the last look into words for the timeout message; its ToString() when null.</param>
    public static async Task<T> Until<T>(
        Func<Task<T>> probe, Func<T, bool> holds, string what, TimeSpan timeout, Func<T, Task<string>>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(holds);
        var clock = Stopwatch.StartNew();
        for (var looks = 1; ; looks++)
        {
            var seen = await probe();
            if (holds(seen))
            {
                return seen;
            }

            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                var last = describe is null ? seen?.ToString() ?? "null" : await describe(seen);
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"Waited {clock.Elapsed.TotalSeconds:F1} s ({looks} looks) until {what}, in vain. Last seen: {last}"));
            }

            await Task.Delay(left < Interval ? left : Interval);
        }
    }

    /// <summary><see cref="Until{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan, Func{T, Task{string}})"/> with a describer that needs no awaiting.</summary>
    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> holds, string what, TimeSpan timeout, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        return Until(probe, holds, what, timeout, seen => Task.FromResult(describe(seen)));
    }
}
