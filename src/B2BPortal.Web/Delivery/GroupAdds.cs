namespace B2BPortal.Web.Delivery;

/// <summary>
/// Group adds of the rows this instance is working on, sent together: each group's waiting guests go out in one
/// <c>members@odata.bind</c> write of up to 20 (docs/graph.md "Group membership, up to 20 at once"), so group adds
/// cost a fraction of Graph's write quota instead of one write per guest.
/// </summary>
/// <remarks>
/// One sender per group (and per sending admin: a batch sent as an admin adds with that admin's token). It waits a
/// moment before each request, then for a write slot; whoever arrived meanwhile rides along, so the busier the write
/// lane, the fuller the requests. Graph applies such a request all or nothing, so one refusal decides who is tried again: a guest not
/// replicated yet is left out and the others are sent again; "already a member" (Graph does not say whose) sends that
/// request's guests one at a time.
/// </remarks>
public sealed class GroupAdds(
    GraphGateway graph, TenantPacer pacer, IOptions<DeliveryOptions> options, TimeProvider time,
    ILogger<GroupAdds> logger) : IDisposable
{
    /// <summary>Most guests per request (Graph's Add members: "up to only 20").</summary>
    public const int MaxPerRequest = 20;

    /// <summary>
    /// How long a group's sender waits for more guests before each request (rows finish their invitations ~36 ms apart):
    /// at full speed about 5 guests per request instead of 1–3, for a fifth of a second on each row.
    /// </summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);

    private readonly DeliveryOptions _options = options.Value;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string GroupId, string? Token), List<Waiting>> _waiting = [];

    /// <summary>
    /// Adds the guest to the group, as the sender of the current async flow, together with other guests of the same group;
    /// the outcome is what Graph's answer means for this guest (<see cref="WriteDeferred"/> when no write slot came in time).
    /// </summary>
    public Task<GraphOutcome> AddAsync(string groupId, string userId, CancellationToken ct)
    {
        var key = (groupId, GraphGateway.ActingToken);
        var waiting = new Waiting(userId);
        bool startSender;
        lock (_gate)
        {
            startSender = !_waiting.TryGetValue(key, out var queue);
            if (startSender)
            {
                queue = [];
                _waiting[key] = queue;
            }

            queue!.Add(waiting);
        }

        if (startSender)
        {
            _ = Task.Run(() => SendAsync(key));
        }

        return waiting.Outcome.Task.WaitAsync(ct);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>The group's sender: runs while guests wait, then removes itself (the next guest starts a new one).</summary>
    private async Task SendAsync((string GroupId, string? Token) key)
    {
        using var acting = key.Token is null ? SenderAwareTokenProvider.ActAsApplication() : GraphGateway.ActAs(key.Token);
        List<Waiting> request = [];
        try
        {
            var ct = _disposed.Token;
            while (true)
            {
                await Task.Delay(Linger, time, ct);
                var slot = await pacer.AcquireWriteSlotAsync(_options.LeaseDuration / 4, ct);
                request = Take(key, slot.MayProceed ? MaxPerRequest : int.MaxValue);
                if (!slot.MayProceed)
                {
                    Complete(request, new WriteDeferred(slot.Until));
                }
                else if (request.Count > 0)
                {
                    await SendRequestAsync(key, request, ct);
                }

                lock (_gate)
                {
                    if (_waiting[key].Count == 0)
                    {
                        _waiting.Remove(key);
                        return;
                    }
                }
            }
        }
#pragma warning disable CA1031 // A database or shutdown failure must reach the waiting rows as an outcome, not vanish in a background task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            List<Waiting> left;
            lock (_gate)
            {
                left = _waiting.Remove(key, out var queue) ? queue : [];
            }

            if (ex is not (OperationCanceledException or ObjectDisposedException))
            {
                logger.GroupAddsFailed(ex);
            }

            Complete(request.Concat(left), new Transient($"Group add not sent: {ex.GetType().Name}."));
        }
    }

    /// <summary>One members@odata.bind request, and what Graph's all-or-nothing answer means for each guest in it.</summary>
    private async Task SendRequestAsync((string GroupId, string? Token) key, List<Waiting> request, CancellationToken ct)
    {
        var groupId = key.GroupId;
        var userIds = request.Select(w => w.UserId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var outcome = await graph.AddManyToGroupAsync(groupId, userIds, ct);
        switch (outcome)
        {
            case NotYetVisible { UserId: { } missing } when userIds.Count > 1:
                // Only that guest waits for replication; the others go back to the front for the next slot.
                Complete(request.Where(w => string.Equals(w.UserId, missing, StringComparison.OrdinalIgnoreCase)), outcome);
                PutBack(key, request.Where(w => !string.Equals(w.UserId, missing, StringComparison.OrdinalIgnoreCase)));
                break;
            case SomeAlreadyMembers when userIds.Count == 1:
                Complete(request, new Completed());
                break;
            case SomeAlreadyMembers:
            case NotYetVisible when userIds.Count > 1:
                foreach (var userId in userIds)
                {
                    var slot = await pacer.AcquireWriteSlotAsync(_options.LeaseDuration / 4, ct);
                    var single = slot.MayProceed ? await graph.AddToGroupAsync(groupId, userId, ct) : new WriteDeferred(slot.Until);
                    Complete(request.Where(w => string.Equals(w.UserId, userId, StringComparison.OrdinalIgnoreCase)), single);
                }

                break;
            default:
                Complete(request, outcome);
                break;
        }
    }

    private List<Waiting> Take((string GroupId, string? Token) key, int distinctUsers)
    {
        lock (_gate)
        {
            var queue = _waiting[key];
            var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var taken = new List<Waiting>();
            foreach (var waiting in queue)
            {
                if (users.Contains(waiting.UserId) || users.Count < distinctUsers && users.Add(waiting.UserId))
                {
                    taken.Add(waiting);
                }
            }

            queue.RemoveAll(taken.Contains);
            return taken;
        }
    }

    private void PutBack((string GroupId, string? Token) key, IEnumerable<Waiting> waiting)
    {
        lock (_gate)
        {
            _waiting[key].InsertRange(0, waiting);
        }
    }

    private static void Complete(IEnumerable<Waiting> waiting, GraphOutcome outcome)
    {
        foreach (var w in waiting)
        {
            w.Outcome.TrySetResult(outcome);
        }
    }

    private sealed class Waiting(string userId)
    {
        public string UserId { get; } = userId;

        public TaskCompletionSource<GraphOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
