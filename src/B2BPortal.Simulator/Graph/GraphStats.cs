using System.Collections.Concurrent;

namespace B2BPortal.Simulator.Graph;

/// <summary>Counts of Graph requests by "METHOD /path-template" and of responses by status code.</summary>
public sealed class GraphStats
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _responses = new();

    public void CountRequest(string method, string template) =>
        _requests.AddOrUpdate($"{method.ToUpperInvariant()} {template}", 1, (_, n) => n + 1);

    public void CountResponse(int status) => _responses.AddOrUpdate(status, 1, (_, n) => n + 1);

    public long Requests(string key) => _requests.TryGetValue(key, out var n) ? n : 0;

    public long Responses(int status) => _responses.TryGetValue(status, out var n) ? n : 0;

    public IReadOnlyDictionary<string, long> RequestCounts =>
        new SortedDictionary<string, long>(_requests, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ResponseCounts =>
        new SortedDictionary<string, long>(_responses.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value), StringComparer.Ordinal);

    public void Reset()
    {
        _requests.Clear();
        _responses.Clear();
    }
}
