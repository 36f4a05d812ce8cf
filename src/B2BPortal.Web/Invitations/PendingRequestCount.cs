namespace B2BPortal.Web.Invitations;

/// <summary>
/// The number of access requests waiting, as the navigation shows it to approvers on every page: read at most once a
/// second per instance instead of once per page view. This instance's own changes (a request made, approved, rejected)
/// drop it at once; another instance's show within a second.
/// </summary>
public sealed class PendingRequestCount
{
    private static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(1);

    // (count, Environment.TickCount64 when read); a real clock, as the figure's age has nothing to do with portal time.
    private volatile Tuple<int, long>? _shown;

    public async Task<int> GetAsync(PortalDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_shown is { } shown && Environment.TickCount64 - shown.Item2 <= ShownFor.TotalMilliseconds)
        {
            return shown.Item1;
        }

        var count = await db.AccessRequests.CountAsync(r => r.Status == AccessRequestStatus.Pending, ct);
        _shown = Tuple.Create(count, Environment.TickCount64);
        return count;
    }

    public void Forget() => _shown = null;
}
