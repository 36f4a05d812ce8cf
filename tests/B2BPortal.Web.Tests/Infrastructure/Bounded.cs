using System.Globalization;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// An upper bound for a wait that has none of its own (a browser call without a timeout option, a signal between
/// tasks, a child's output pipe): past the limit it throws a <see cref="TimeoutException"/> that says what did not
/// happen, so a stall fails the test that met it, by name, instead of holding the whole run silent until CI kills
/// it. The awaited work is abandoned, not cancelled; an exception of its own (even a timeout) passes through as is.
/// </summary>
public static class Bounded
{
    /// <summary>Waits for <paramref name="task"/> at most <paramref name="limit"/>.</summary>
    /// <param name="failure">What did not happen, for the message, which adds the limit: "Chromium did not close".</param>
    public static async Task Within(this Task task, TimeSpan limit, string failure)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException(Message(failure, limit));
        }
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="limit"/> and returns its result.</summary>
    /// <param name="failure">What did not happen, for the message, which adds the limit: "Chromium did not launch".</param>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan limit, string failure)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException(Message(failure, limit));
        }
    }

    /// <summary>"{failure} within 30 s."</summary>
    public static string Message(string failure, TimeSpan limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{failure} within {limit.TotalSeconds:0.#} s.");
}
