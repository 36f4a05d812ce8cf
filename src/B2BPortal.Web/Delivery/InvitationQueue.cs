using Microsoft.EntityFrameworkCore.Query;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// The invitations table as a work queue (docs/architecture.md decision 2): claims with a lease and a fresh fencing token,
/// and writes that only land while the token is still the row's.
/// </summary>
public sealed class InvitationQueue
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;

    public InvitationQueue(IDbContextFactory<PortalDbContext> dbFactory, IOptions<DeliveryOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dbFactory = dbFactory;
        _options = options.Value;
        _time = time;
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Claims up to <paramref name="count"/> due rows: Queued rows whose backoff has passed and Sending rows whose
    /// lease expired (their worker died). Each claim counts as an attempt and gets a new lease token.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedInvitation>> ClaimAsync(string owner, int count, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var expires = now + _options.LeaseDuration;
        List<Invitation> rows;
        if (db.IsPostgres())
        {
            // One statement claims: concurrent workers skip each other's locked rows instead of waiting or double-claiming.
            // It is InvitationLifecycle's Claim (Claimable → Sending) written as SQL, in two parts with their own
            // indexes: Sending rows whose lease ran out (adopted first), then Queued rows in fair order — row 1 of every
            // batch before row 2 of any — so a single invitation or a small batch is not stuck behind a huge one.
            // It returns the claimed ids and lease tokens, and a second statement reads the rows: EF (10) reads an entity
            // with a JSON column (ValidationErrors) from raw SQL only by wrapping the SQL in a subquery, where PostgreSQL
            // refuses an UPDATE. A row whose token changed in between was lost to another worker and is left out.
            var claimed = await db.Database.SqlQuery<ClaimedLease>($"""
                WITH expired AS (
                    SELECT i."Id" FROM "Invitations" i
                    WHERE i."Status" = 'Sending' AND i."LeaseExpiresAt" < {now}
                      AND NOT EXISTS (SELECT 1 FROM "Batches" b WHERE b."Id" = i."BatchId" AND b."PausedReason" IS NOT NULL)
                    ORDER BY i."Id"
                    LIMIT {count}
                    FOR UPDATE OF i SKIP LOCKED),
                due AS (
                    SELECT i."Id", i."RowNumber" FROM "Invitations" i
                    WHERE i."Status" = 'Queued' AND (i."NextAttemptAt" IS NULL OR i."NextAttemptAt" <= {now})
                      AND NOT EXISTS (SELECT 1 FROM "Batches" b WHERE b."Id" = i."BatchId" AND b."PausedReason" IS NOT NULL)
                    ORDER BY i."RowNumber", i."Id"
                    LIMIT {count}
                    FOR UPDATE OF i SKIP LOCKED)
                UPDATE "Invitations"
                SET "Status" = 'Sending', "LeaseOwner" = {owner}, "LeaseToken" = gen_random_uuid(),
                    "LeaseExpiresAt" = {expires}, "UpdatedAt" = {now}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (
                    SELECT c."Id" FROM (
                        SELECT "Id", 0 AS "Part", 0 AS "RowNumber" FROM expired
                        UNION ALL
                        SELECT "Id", 1 AS "Part", "RowNumber" FROM due) c
                    ORDER BY c."Part", c."RowNumber", c."Id"
                    LIMIT {count})
                RETURNING "Id", "LeaseToken"
                """).ToListAsync(ct);
            if (claimed.Count == 0)
            {
                return [];
            }

            var tokens = claimed.ToDictionary(c => c.Id, c => c.LeaseToken);
            var ids = tokens.Keys.ToList();
            rows = await db.Invitations.AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync(ct);
            rows.RemoveAll(i => i.LeaseToken != tokens[i.Id]);
        }
        else
        {
            // SQLite has a single writer: pick candidates, then claim only those still claimable under our token.
            var token = Guid.NewGuid();
            var candidates = await db.Invitations.Claimable(now)
                .Where(i => !db.Batches.Any(b => b.Id == i.BatchId && b.PausedReason != null))
                .OrderBy(i => i.Status == InvitationStatus.Sending ? 0 : 1).ThenBy(i => i.RowNumber).ThenBy(i => i.Id)
                .Select(i => i.Id).Take(count).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return [];
            }

            await db.Invitations.Claimable(now)
                .Where(i => candidates.Contains(i.Id))
                .ExecuteUpdateAsync(s => InvitationLifecycle.Claim(s, owner, token, expires, now), ct);
            rows = await db.Invitations.AsNoTracking().Where(i => i.LeaseToken == token).ToListAsync(ct);
        }

        return rows.OrderBy(i => i.Id).Select(i => new ClaimedInvitation(i)).ToList();
    }

    /// <summary>A write fenced by the lease token: false (and nothing changed) when another worker took the row over.</summary>
    public Task<bool> UpdateAsync(ClaimedInvitation claim, Action<UpdateSettersBuilder<Invitation>> set, CancellationToken ct) =>
        UpdateAsync(claim, (s, _) => set(s), ct);

    /// <summary>Puts a claimed row back in the queue (shutdown, pause, Retry-After); <paramref name="countAttempt"/> false undoes the claim's attempt.</summary>
    public Task<bool> ReleaseAsync(ClaimedInvitation claim, bool countAttempt, DateTime? nextAttemptAt, CancellationToken ct) =>
        UpdateAsync(claim, (s, db) => InvitationLifecycle.Release(s, db.Batches, nextAttemptAt, undoAttempt: !countAttempt), ct);

    /// <summary>A transient failure: the row is tried again at <paramref name="nextAttemptAt"/>.</summary>
    public Task<bool> RetryAsync(ClaimedInvitation claim, DateTime nextAttemptAt, string reason, CancellationToken ct) =>
        UpdateAsync(claim, (s, db) => InvitationLifecycle.Retry(s, db.Batches, nextAttemptAt, reason), ct);

    private async Task<bool> UpdateAsync(ClaimedInvitation claim, Action<UpdateSettersBuilder<Invitation>, PortalDbContext> set, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(set);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var changed = await db.Invitations
            .Where(i => i.Id == claim.Id && i.LeaseToken == claim.Lease)
            .ExecuteUpdateAsync(
                s =>
                {
                    set(s, db);
                    s.SetProperty(i => i.UpdatedAt, now);
                },
                ct);
        return changed == 1;
    }

    /// <summary>
    /// Stops claiming the batch's rows until <see cref="ResumeBatchesSentByAsync"/> (its sending admin signed in again);
    /// the first reason stays.
    /// </summary>
    /// <summary>
    /// Whether the admin cancelled the row's batch after the row was claimed. Asked just before the invitation goes to
    /// Graph: a worker may hold a claimed row for seconds while it waits for a pacing slot, and cancel must stop it.
    /// </summary>
    public async Task<bool> IsBatchCancelledAsync(Guid batchId, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        return await db.Batches.AnyAsync(b => b.Id == batchId && b.Status == BatchStatus.Cancelled, ct);
    }

    public async Task PauseBatchAsync(Guid batchId, string reason, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        await db.Batches.Where(b => b.Id == batchId && b.PausedReason == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.PausedReason, reason), ct);
    }

    /// <summary>The batches sent as this admin go on (they just signed in, so their tokens are fresh); returns how many.</summary>
    public async Task<int> ResumeBatchesSentByAsync(string objectId, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        return await db.Batches.Where(b => b.SenderObjectId == objectId && b.PausedReason != null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.PausedReason, (string?)null), ct);
    }

    /// <summary>
    /// Releases the Sending rows leased under <paramref name="instancePrefix"/> by runs <paramref name="isDead"/> says
    /// are gone (an earlier process of this instance); returns how many.
    /// </summary>
    public async Task<int> ReleaseLeftoversAsync(string instancePrefix, Func<string, bool> isDead, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(instancePrefix);
        ArgumentNullException.ThrowIfNull(isDead);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var owners = await db.Invitations
            .Where(i => i.Status == InvitationStatus.Sending && i.LeaseOwner != null && i.LeaseOwner.StartsWith(instancePrefix))
            .Select(i => i.LeaseOwner!).Distinct().ToListAsync(ct);
        var dead = owners.Where(isDead).ToList();
        if (dead.Count == 0)
        {
            return 0;
        }

        var now = Now;
        return await db.Invitations
            .Where(i => i.Status == InvitationStatus.Sending && i.LeaseOwner != null && dead.Contains(i.LeaseOwner))
            .ExecuteUpdateAsync(
                s =>
                {
                    InvitationLifecycle.Release(s, db.Batches, nextAttemptAt: null, undoAttempt: false);
                    s.SetProperty(i => i.UpdatedAt, now);
                },
                ct);
    }

    /// <summary>Extends the lease of a row still being worked on; false when it was lost.</summary>
    public Task<bool> RenewAsync(ClaimedInvitation claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var expires = Now + _options.LeaseDuration;
        claim.Row.LeaseExpiresAt = expires;
        return UpdateAsync(claim, s => s.SetProperty(i => i.LeaseExpiresAt, expires), ct);
    }

    /// <summary>The row's assignments, creating the missing ones from GroupIds/AppIds; null when the lease was lost.</summary>
    public async Task<List<InvitationAssignment>?> EnsureAssignmentsAsync(ClaimedInvitation claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var row = claim.Row;
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Now;

        // Locks the row (PostgreSQL) and proves the lease, so a stale worker cannot add rows concurrently.
        var owned = await db.Invitations
            .Where(i => i.Id == claim.Id && i.LeaseToken == claim.Lease)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UpdatedAt, now), ct);
        if (owned == 0)
        {
            return null;
        }

        var existing = await db.InvitationAssignments.Where(a => a.InvitationId == row.Id).ToListAsync(ct);
        var wanted = IdList.Of(row.GroupIds).Select(t => (Kind: AssignmentKind.Group, Target: t))
            .Concat(IdList.Of(row.AppIds).Select(t => (Kind: AssignmentKind.App, Target: t)))
            .Concat(row.SponsorId is { } sponsor ? [(Kind: AssignmentKind.Sponsor, Target: sponsor)] : []);
        foreach (var (kind, target) in wanted)
        {
            if (!existing.Any(a => a.Kind == kind && string.Equals(a.TargetId, target, StringComparison.OrdinalIgnoreCase)))
            {
                var assignment = new InvitationAssignment { InvitationId = row.Id, Kind = kind, TargetId = target, Status = AssignmentStatus.Pending };
                db.InvitationAssignments.Add(assignment);
                existing.Add(assignment);
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return existing;
    }

    /// <summary>A row the PostgreSQL claim took, as its RETURNING clause names it.</summary>
    private sealed class ClaimedLease
    {
        public long Id { get; init; }

        public Guid LeaseToken { get; init; }
    }

    /// <summary>Records an assignment's result, only while the invitation's lease is still held.</summary>
    public async Task<bool> SetAssignmentAsync(ClaimedInvitation claim, long assignmentId, AssignmentStatus status, string? error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        DateTime? completedAt = status == AssignmentStatus.Done ? now : null;
        var changed = await db.InvitationAssignments
            .Where(a => a.Id == assignmentId && db.Invitations.Any(i => i.Id == a.InvitationId && i.LeaseToken == claim.Lease))
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, status).SetProperty(a => a.Error, error).SetProperty(a => a.CompletedAt, completedAt),
                ct);
        return changed == 1;
    }
}
