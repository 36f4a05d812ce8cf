using System.Diagnostics;
using System.Globalization;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one way tests wait for something that happens in the background (workers, another process, a page's poll):
/// look, and look again every 100 ms until the condition holds. On timeout it throws a <see cref="TimeoutException"/>
/// that says what it was waiting for and what the last look saw; it never returns quietly. An exception from a
/// look is not "not yet": it propagates at once. A look that never returns does not outlast the deadline either:
/// each look gets the time left plus <see cref="LookGrace"/>, then the wait fails the same way. Linked into the
/// benchmark project too.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a look (or the description of the last one) may run past the deadline: enough for one slow query on
    /// a loaded machine to finish, short enough that a look that never returns fails the wait near its deadline.
    /// </summary>
    private static readonly TimeSpan LookGrace = TimeSpan.FromSeconds(5);

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
        var previous = default(T)!;
        for (var looks = 1; ; looks++)
        {
            // The deadline is checked between looks, so a look that never returns would wait past it for ever.
            var left = timeout - clock.Elapsed;
            var patience = (left > TimeSpan.Zero ? left : TimeSpan.Zero) + LookGrace;
            var look = probe();
            T seen;
            try
            {
                seen = await look.WaitAsync(patience);
            }
            catch (TimeoutException) when (!look.IsCompleted)
            {
                var before = looks == 1 ? "nothing (no look returned)" : await DescribeAsync(previous, describe);
                throw InVain(clock, looks, what, string.Create(CultureInfo.InvariantCulture,
                    $"look {looks} did not return within {patience.TotalSeconds:F1} s"), before);
            }

            if (holds(seen))
            {
                return seen;
            }

            left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw InVain(clock, looks, what, why: null, await DescribeAsync(seen, describe));
            }

            previous = seen;
            await Task.Delay(left < Interval ? left : Interval);
        }
    }

    /// <summary><see cref="Until{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan, Func{T, Task{string}})"/> with a describer that needs no awaiting.</summary>
    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> holds, string what, TimeSpan timeout, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        return Until(probe, holds, what, timeout, seen => Task.FromResult(describe(seen)));
    }

    // A describer is often one more query, so it is bounded like a look: a timeout message that never comes is a hang too.
    private static async Task<string> DescribeAsync<T>(T seen, Func<T, Task<string>>? describe)
    {
        if (describe is null)
        {
            return seen?.ToString() ?? "null";
        }

        var describing = describe(seen);
        try
        {
            return await describing.WaitAsync(LookGrace);
        }
        catch (TimeoutException) when (!describing.IsCompleted)
        {
            return string.Create(CultureInfo.InvariantCulture, $"(not described: describing it took over {LookGrace.TotalSeconds:F0} s)");
        }
    }

    private static TimeoutException InVain(Stopwatch clock, int looks, string what, string? why, string last) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Waited {clock.Elapsed.TotalSeconds:F1} s ({looks} looks) until {what}, in vain{(why is null ? "" : ": " + why)}. Last seen: {last}"));
}
