using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>Keeps every log entry at <paramref name="minimum"/> (Warning) and above so a test can assert what operators would see.</summary>
internal sealed class LogCapture(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public LogLevel Minimum => minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public IEnumerable<string> AtLeast(LogLevel level) =>
        Entries.Where(e => e.Level >= level).Select(e => $"{e.Level} {e.Category}: {e.Message}");

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
