namespace B2BPortal.Web.Delivery;

/// <summary>
/// Pacing shared by every instance through the tenant's <see cref="TenantPacing"/> row (docs/architecture.md decision 3):
/// invitation slots spaced 1/rate apart, a Retry-After that stops everyone, and the abuse-block pause.
/// </summary>
/// <remarks>
/// The row is used as a GCRA limiter: <see cref="TenantPacing.WindowStart"/> holds the time of the next free slot and
/// <see cref="TenantPacing.WindowCount"/> counts the slots handed out. A slot is taken only when it is due (within a
/// tolerance of one interval), so in any 5 s at most 5·rate + 2 invitations start. Writes are conditional on
/// <see cref="TenantPacing.Version"/>, so two instances never take the same slot and a Retry-After written by
/// another instance makes a pending reservation re-read the row before it sends.
/// </remarks>
public sealed class TenantPacer(
    IDbContextFactory<PortalDbContext> dbFactory, TenantConnectionResolver tenant, IOptions<DeliveryOptions> options,
    TimeProvider time, PortalMetrics metrics)
{
    private readonly DeliveryOptions _options = options.Value;

    // One reservation at a time per process: the others wait here instead of racing on the row.
    private readonly SemaphoreSlim _reservation = new(1, 1);
    private readonly SemaphoreSlim _writeReservation = new(1, 1);
    private bool _rowExists;

    // Retry-After seen by this process, honoured before the database round trip that would tell it the same.
    private DateTime _localNotBefore = DateTime.MinValue;

    // The pacing row as pages last read it, and when (Environment.TickCount64): every dashboard, batch page and progress
    // poll shows the sending state, and one read a second serves them all. This process's own pause, resume and
    // Retry-After drop it at once; another instance's show within a second.
    private volatile ShownPacing? _shown;

    private sealed record ShownPacing(DateTime? NotBefore, DateTime? PausedAt, string? PausedReason, long ReadAt);

    private static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(1);

    private string TenantId => tenant.Current.TenantId;

    private TimeSpan Interval => TimeSpan.FromSeconds(1 / Math.Max(0.01, _options.InvitationsPerSecond));

    private TimeSpan WriteInterval => TimeSpan.FromSeconds(1 / Math.Max(0.01, _options.WritesPerSecond));

    /// <summary>Waits for the next invitation slot; returns Paused/Throttled instead when the tenant may not send.</summary>
    /// <param name="maxWait">Longer waits are returned to the caller (who should release the row) rather than slept.</param>
    public Task<PacingDecision> AcquireInvitationSlotAsync(TimeSpan maxWait, CancellationToken ct) =>
        AcquireSlotAsync(Lane.Invitations, maxWait, ct);

    /// <summary>
    /// Waits for the next identity-write slot (a group add or app assignment, <see cref="DeliveryOptions.WritesPerSecond"/>),
    /// a lane of its own beside the invitations; Paused/Throttled as for invitations.
    /// </summary>
    public Task<PacingDecision> AcquireWriteSlotAsync(TimeSpan maxWait, CancellationToken ct) =>
        AcquireSlotAsync(Lane.Writes, maxWait, ct);

    private enum Lane
    {
        Invitations,
        Writes,
    }

    private async Task<PacingDecision> AcquireSlotAsync(Lane lane, TimeSpan maxWait, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var reservation = lane == Lane.Writes ? _writeReservation : _reservation;
        var interval = lane == Lane.Writes ? WriteInterval : Interval;
        await reservation.WaitAsync(ct);
        try
        {
            while (true)
            {
                var now = Now;
                if (_localNotBefore > now)
                {
                    if (_localNotBefore - now > maxWait)
                    {
                        return new PacingDecision(PacingMode.Throttled, _localNotBefore, null);
                    }

                    await Task.Delay(_localNotBefore - now, time, ct);
                    continue;
                }

                var row = await ReadAsync(ct);
                now = Now;
                if (row.PausedAt is not null)
                {
                    return new PacingDecision(PacingMode.Paused, null, row.PausedReason);
                }

                if (row.NotBefore is { } notBefore && notBefore > now)
                {
                    if (notBefore - now > maxWait)
                    {
                        return new PacingDecision(PacingMode.Throttled, notBefore, null);
                    }

                    await Task.Delay(notBefore - now, time, ct);
                    continue;
                }

                var laneSlot = lane == Lane.Writes ? row.WriteSlotAt ?? now : row.WindowStart;
                var slot = laneSlot > now ? laneSlot : now;
                var startAt = slot - interval;
                if (startAt > now)
                {
                    if (startAt - now > maxWait)
                    {
                        return new PacingDecision(PacingMode.Throttled, startAt, null);
                    }

                    // Sleep until the slot, then re-read: someone may have set a Retry-After meanwhile.
                    await Task.Delay(startAt - now, time, ct);
                    continue;
                }

                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var next = slot + interval;
                var version = db.TenantPacings.Where(p => p.TenantId == row.TenantId && p.Version == row.Version);
                var taken = lane == Lane.Writes
                    ? await version.ExecuteUpdateAsync(
                        s => s.SetProperty(p => p.WriteSlotAt, next).SetProperty(p => p.Version, p => p.Version + 1), ct)
                    : await version.ExecuteUpdateAsync(
                        s => s.SetProperty(p => p.WindowStart, next)
                            .SetProperty(p => p.WindowCount, p => p.WindowCount + 1)
                            .SetProperty(p => p.Version, p => p.Version + 1),
                        ct);
                if (taken == 1)
                {
                    return PacingDecision.Go;
                }
            }
        }
        finally
        {
            reservation.Release();
            metrics.PacingWait(time.GetElapsedTime(started));
        }
    }

    /// <summary>For Graph calls other than invitations (look-ups, assignments, tracker reads): only the stop signals apply.</summary>
    public async Task<PacingDecision> CheckAsync(CancellationToken ct)
    {
        var now = Now;
        if (_localNotBefore > now)
        {
            return new PacingDecision(PacingMode.Throttled, _localNotBefore, null);
        }

        var row = await ReadAsync(ct);
        if (row.PausedAt is not null)
        {
            return new PacingDecision(PacingMode.Paused, null, row.PausedReason);
        }

        return row.NotBefore is { } notBefore && notBefore > Now
            ? new PacingDecision(PacingMode.Throttled, notBefore, null)
            : PacingDecision.Go;
    }

    /// <summary>Graph said 429: nobody in any instance calls again before <paramref name="retryAfter"/> has passed.</summary>
    public async Task<DateTime> RecordRetryAfterAsync(TimeSpan? retryAfter, CancellationToken ct)
    {
        var until = Now + (retryAfter ?? _options.DefaultRetryAfter);
        metrics.RetryAfter(retryAfter ?? _options.DefaultRetryAfter);
        if (until > _localNotBefore)
        {
            _localNotBefore = until;
        }

        await EnsureRowAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.TenantPacings
            .Where(p => p.TenantId == TenantId && (p.NotBefore == null || p.NotBefore < until))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.NotBefore, until).SetProperty(p => p.Version, p => p.Version + 1), ct);
        _shown = null;
        return until;
    }

    /// <summary>Graph's abuse block: pauses the whole tenant. True when this call paused it (the first to notice writes the audit entry).</summary>
    public async Task<bool> PauseAsync(string reason, CancellationToken ct)
    {
        await EnsureRowAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var paused = await db.TenantPacings
            .Where(p => p.TenantId == TenantId && p.PausedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.PausedAt, now)
                    .SetProperty(p => p.PausedReason, reason)
                    .SetProperty(p => p.Version, p => p.Version + 1),
                ct);
        _shown = null;
        if (paused == 1)
        {
            metrics.TenantPaused();
            db.Audit(now, "system", "Paused", reason);
            await db.SaveChangesAsync(ct);
        }

        return paused == 1;
    }

    /// <summary>
    /// Takes the tenant's clean-up run for at most <paramref name="hold"/>; false when another run (another worker, or an
    /// admin on the page) holds it. Release with <see cref="EndCleanupRunAsync"/>.
    /// </summary>
    public async Task<bool> TryStartCleanupRunAsync(TimeSpan hold, CancellationToken ct)
    {
        await EnsureRowAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var until = now + hold;
        return await db.TenantPacings
            .Where(p => p.TenantId == TenantId && (p.CleanupRunUntil == null || p.CleanupRunUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CleanupRunUntil, until), ct) == 1;
    }

    /// <summary>
    /// Waits for the next slot of the portal's email and takes it: one email per <paramref name="interval"/> across all
    /// instances, and a restarted process continues the spacing instead of starting afresh. Only the mailbox's rate
    /// applies here (an SMTP relay is not Graph; Graph's own 429 on sendMail comes back as the email's outcome).
    /// </summary>
    public async Task AcquireEmailSlotAsync(TimeSpan interval, CancellationToken ct)
    {
        await EnsureRowAsync(ct);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var slotAt = await db.TenantPacings.Where(p => p.TenantId == TenantId).Select(p => p.EmailSlotAt).SingleAsync(ct);
            var now = Now;
            if (slotAt is { } due && due > now)
            {
                await Task.Delay(due - now, time, ct);
                continue;
            }

            var next = now + interval;
            if (await db.TenantPacings.Where(p => p.TenantId == TenantId && p.EmailSlotAt == slotAt)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.EmailSlotAt, next), ct) == 1)
            {
                return;
            }
        }
    }

    public async Task EndCleanupRunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.TenantPacings
            .Where(p => p.TenantId == TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CleanupRunUntil, (DateTime?)null), ct);
    }

    /// <summary>Lifts the pause (an admin's decision); true when the tenant was paused.</summary>
    public async Task<bool> ResumeAsync(CancellationToken ct)
    {
        await EnsureRowAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var resumed = await db.TenantPacings
            .Where(p => p.TenantId == TenantId && p.PausedAt != null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.PausedAt, (DateTime?)null)
                    .SetProperty(p => p.PausedReason, (string?)null)
                    .SetProperty(p => p.Version, p => p.Version + 1),
                ct);
        _shown = null;
        return resumed == 1;
    }

    public async Task<PacingState> GetStateAsync(CancellationToken ct)
    {
        var row = _shown;
        if (row is null || Environment.TickCount64 - row.ReadAt > ShownFor.TotalMilliseconds)
        {
            var read = await ReadAsync(ct);
            _shown = row = new ShownPacing(read.NotBefore, read.PausedAt, read.PausedReason, Environment.TickCount64);
        }

        if (row.PausedAt is not null)
        {
            return new PacingState(PacingMode.Paused, row.NotBefore, row.PausedAt, row.PausedReason);
        }

        return row.NotBefore is { } notBefore && notBefore > Now
            ? new PacingState(PacingMode.Throttled, notBefore, null, null)
            : new PacingState(PacingMode.Sending, null, null, null);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<TenantPacing> ReadAsync(CancellationToken ct)
    {
        await EnsureRowAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TenantPacings.AsNoTracking().SingleAsync(p => p.TenantId == TenantId, ct);
    }

    private async Task EnsureRowAsync(CancellationToken ct)
    {
        if (_rowExists)
        {
            return;
        }

        // Instances starting together race to create the row; a plain INSERT makes the losers log a duplicate-key
        // error. The conflict clause (PostgreSQL and SQLite alike) makes losing a no-op, so nothing error-level is logged.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenantId = TenantId;
        var now = Now;
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "TenantPacings" ("TenantId", "WindowStart", "WindowCount", "Version") VALUES ({tenantId}, {now}, 0, 0) ON CONFLICT ("TenantId") DO NOTHING""",
            ct);

        _rowExists = true;
    }
}
