using Microsoft.EntityFrameworkCore.Query;

namespace B2BPortal.Web.Data;

/// <summary>The named changes of an invitation's status; <see cref="InvitationLifecycle.Transitions"/> says which are allowed.</summary>
public enum InvitationTransition
{
    /// <summary>A valid row of a batch left for review waits for Send.</summary>
    Hold,

    /// <summary>Send after review, or an upload sent at once: the row joins the queue.</summary>
    Submit,

    /// <summary>Discard at review: the row stays on record and is never sent.</summary>
    Discard,

    /// <summary>A worker takes a due row, or one whose worker's lease ran out.</summary>
    Claim,

    /// <summary>The worker hands the row back untried or unfinished (shutdown, pacing, Retry-After, tenant pause).</summary>
    Release,

    /// <summary>A transient failure: back to the queue after a backoff.</summary>
    Retry,

    /// <summary>Graph has the guest and every assignment was tried.</summary>
    Invite,

    /// <summary>Graph refused the row, or it kept failing.</summary>
    Fail,

    /// <summary>An admin cancels what has not been sent; a row of a cancelled batch that comes back from a worker.</summary>
    Cancel,

    /// <summary>An admin sends a row again: failed or cancelled after submission, or a guest who has not accepted.</summary>
    Resend,

    /// <summary>The guest redeemed the invitation.</summary>
    Accept,
}

/// <summary>
/// The one owner of an invitation's life: the table of allowed transitions, and every status change as a named method,
/// so the pages, the API, the dispatcher and the tracker cannot each invent their own.
/// </summary>
/// <remarks>
/// Set-based transitions (submit, discard, cancel, re-send, accept) filter by their rule's From statuses, so a row in
/// another state is never touched. Lease transitions (release, retry, invite, fail) are only written through
/// <c>InvitationQueue</c>, fenced by the lease token: a row with a token is Sending by construction.
/// </remarks>
public static class InvitationLifecycle
{
    /// <summary>
    /// Every allowed change. Hold and Submit also apply to a row being created (upload); Invalid is final, as are Accepted
    /// and Cancelled rows except through an admin's re-send.
    /// </summary>
    public static readonly TransitionTable<InvitationTransition, InvitationStatus> Transitions = new(
    [
        new(InvitationTransition.Hold, [], InvitationStatus.Held),
        new(InvitationTransition.Submit, [InvitationStatus.Held], InvitationStatus.Queued),
        new(InvitationTransition.Discard, [InvitationStatus.Held], InvitationStatus.Cancelled),
        new(InvitationTransition.Claim, [InvitationStatus.Queued, InvitationStatus.Sending], InvitationStatus.Sending),
        new(InvitationTransition.Release, [InvitationStatus.Sending], InvitationStatus.Queued),
        new(InvitationTransition.Retry, [InvitationStatus.Sending], InvitationStatus.Queued),
        new(InvitationTransition.Invite, [InvitationStatus.Sending], InvitationStatus.Invited),
        new(InvitationTransition.Fail, [InvitationStatus.Sending], InvitationStatus.Failed),
        new(InvitationTransition.Cancel, [InvitationStatus.Queued, InvitationStatus.Sending], InvitationStatus.Cancelled),
        new(InvitationTransition.Resend, [InvitationStatus.Failed, InvitationStatus.Cancelled, InvitationStatus.Invited, InvitationStatus.Accepted], InvitationStatus.Queued),
        new(InvitationTransition.Accept, [InvitationStatus.Invited], InvitationStatus.Accepted),
    ]);

    /// <summary>The status of a new row: Invalid when it has errors, otherwise held for review or queued at once.</summary>
    public static InvitationStatus Created(bool valid, bool submit) =>
        !valid ? InvitationStatus.Invalid : submit ? Transitions.Of(InvitationTransition.Submit).To : Transitions.Of(InvitationTransition.Hold).To;

    /// <summary>Held rows of a batch join the queue.</summary>
    public static Task<int> SubmitAsync(this IQueryable<Invitation> rows, DateTime now, CancellationToken ct) =>
        rows.Apply(InvitationTransition.Submit, now, s => s.SetProperty(i => i.QueuedAt, now).SetProperty(i => i.NextAttemptAt, (DateTime?)null), ct);

    /// <summary>Held rows of a discarded batch become Cancelled; having never been queued, they can never be re-sent.</summary>
    public static Task<int> DiscardAsync(this IQueryable<Invitation> rows, DateTime now, CancellationToken ct) =>
        rows.Apply(InvitationTransition.Discard, now, static _ => { }, ct);

    /// <summary>
    /// Queued rows become Cancelled. Rows in flight keep their worker's lease; the worker turns them Cancelled instead of
    /// queueing them again (<see cref="Release"/>, <see cref="Retry"/>), so a cancelled row is never sent afterwards.
    /// </summary>
    public static Task<int> CancelAsync(this IQueryable<Invitation> rows, DateTime now, CancellationToken ct) =>
        rows.Where(i => i.Status == InvitationStatus.Queued)
            .Apply(InvitationTransition.Cancel, now, s => s.SetProperty(i => i.NextAttemptAt, (DateTime?)null), ct);

    /// <summary>
    /// Failed and Cancelled rows that were once submitted get a fresh set of attempts on the same row. LastError stays:
    /// it tells the next attempt to look the address up before inviting again.
    /// </summary>
    public static Task<int> RetryAgainAsync(this IQueryable<Invitation> rows, DateTime now, CancellationToken ct) =>
        rows.Where(i => (i.Status == InvitationStatus.Failed || i.Status == InvitationStatus.Cancelled) && i.QueuedAt != null)
            .Apply(InvitationTransition.Resend, now, s => Requeue(s, now), ct);

    /// <summary>
    /// Invited (or, with <paramref name="resetRedemption"/>, Accepted) rows are invited again with a fresh email (the
    /// portal's email stage starts over too; an email in flight keeps its lease and is recorded, and the new one follows).
    /// resetRedemption keeps the guest's id (Graph re-invites that object); otherwise the id is cleared and Graph's
    /// "existing guest" behaviour sends the fresh email (see InvitationProcessor.IsResetRedemption).
    /// </summary>
    public static Task<int> ReinviteAsync(this IQueryable<Invitation> rows, bool resetRedemption, DateTime now, CancellationToken ct) =>
        rows.Where(i => (i.Status == InvitationStatus.Invited || (resetRedemption && i.Status == InvitationStatus.Accepted)) && i.GraphUserId != null)
            .Apply(
                InvitationTransition.Resend,
                now,
                s =>
                {
                    Requeue(s, now);
                    s.SetProperty(i => i.LastError, (string?)null)
                        .SetProperty(i => i.InvitedAt, (DateTime?)null)
                        .SetProperty(i => i.AcceptedAt, (DateTime?)null)
                        .SetProperty(i => i.RedeemUrl, (string?)null)
                        .SetProperty(i => i.EmailDueAt, (DateTime?)null)
                        .SetProperty(i => i.EmailSentAt, (DateTime?)null)
                        .SetProperty(i => i.EmailError, (string?)null);
                    if (!resetRedemption)
                    {
                        s.SetProperty(i => i.GraphUserId, (string?)null);
                    }
                },
                ct);

    /// <summary>Invited rows whose guest redeemed become Accepted.</summary>
    public static Task<int> AcceptAsync(this IQueryable<Invitation> rows, DateTime acceptedAt, DateTime now, CancellationToken ct) =>
        rows.Apply(InvitationTransition.Accept, now, s => s.SetProperty(i => i.AcceptedAt, acceptedAt), ct);

    /// <summary>
    /// A claimed row goes back untried: to the queue, due at <paramref name="nextAttemptAt"/> — or Cancelled when its
    /// batch was cancelled meanwhile. <paramref name="undoAttempt"/> takes back the attempt the claim counted.
    /// </summary>
    public static void Release(UpdateSettersBuilder<Invitation> s, IQueryable<Batch> batches, DateTime? nextAttemptAt, bool undoAttempt)
    {
        ArgumentNullException.ThrowIfNull(s);
        BackToQueue(s, batches, nextAttemptAt);
        if (undoAttempt)
        {
            s.SetProperty(i => i.Attempts, i => i.Attempts - 1);
        }
    }

    /// <summary>A transient failure: back to the queue after a backoff (Cancelled if its batch was cancelled meanwhile).</summary>
    public static void Retry(UpdateSettersBuilder<Invitation> s, IQueryable<Batch> batches, DateTime nextAttemptAt, string reason)
    {
        ArgumentNullException.ThrowIfNull(s);
        BackToQueue(s, batches, nextAttemptAt);
        s.SetProperty(i => i.LastError, reason);
    }

    /// <summary>The row's guest exists and every assignment was tried; <paramref name="lastError"/> lists refused assignments.</summary>
    public static void Invite(UpdateSettersBuilder<Invitation> s, string? lastError)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.SetProperty(i => i.Status, Transitions.Of(InvitationTransition.Invite).To)
            .SetProperty(i => i.LastError, lastError)
            .SetProperty(i => i.NextAttemptAt, (DateTime?)null);
        EndLease(s);
    }

    /// <summary>Graph refused the row, or it kept failing; <paramref name="message"/> says why in Graph's words.</summary>
    public static void Fail(UpdateSettersBuilder<Invitation> s, string message)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.SetProperty(i => i.Status, Transitions.Of(InvitationTransition.Fail).To)
            .SetProperty(i => i.LastError, message)
            .SetProperty(i => i.NextAttemptAt, (DateTime?)null);
        EndLease(s);
    }

    /// <summary>The claim's own change, for the provider that claims through EF (SQLite); PostgreSQL's claim is one SQL statement.</summary>
    public static void Claim(UpdateSettersBuilder<Invitation> s, string owner, Guid token, DateTime expires, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.SetProperty(i => i.Status, Transitions.Of(InvitationTransition.Claim).To)
            .SetProperty(i => i.LeaseOwner, owner)
            .SetProperty(i => i.LeaseToken, token)
            .SetProperty(i => i.LeaseExpiresAt, expires)
            .SetProperty(i => i.UpdatedAt, now)
            .SetProperty(i => i.Attempts, i => i.Attempts + 1);
    }

    /// <summary>Rows a worker may claim now: due Queued rows and Sending rows whose worker's lease ran out.</summary>
    public static IQueryable<Invitation> Claimable(this IQueryable<Invitation> rows, DateTime now) =>
        rows.Where(i =>
            (i.Status == InvitationStatus.Queued && (i.NextAttemptAt == null || i.NextAttemptAt <= now))
            || (i.Status == InvitationStatus.Sending && i.LeaseExpiresAt < now));

    private static void BackToQueue(UpdateSettersBuilder<Invitation> s, IQueryable<Batch> batches, DateTime? nextAttemptAt)
    {
        // Cancel wins over a row in flight: a row of a cancelled batch does not go back to the queue. (A subquery, not
        // the Batch navigation: EF cannot translate navigations inside ExecuteUpdate setters.)
        var cancel = Transitions.Of(InvitationTransition.Cancel).To;
        var requeue = Transitions.Of(InvitationTransition.Release).To;
        s.SetProperty(
            i => i.Status,
            i => batches.Any(b => b.Id == i.BatchId && b.Status == BatchStatus.Cancelled) ? cancel : requeue);
        if (nextAttemptAt is { } due)
        {
            s.SetProperty(i => i.NextAttemptAt, i => batches.Any(b => b.Id == i.BatchId && b.Status == BatchStatus.Cancelled) ? null : due);
        }
        else
        {
            // A CASE of two NULLs has no type in PostgreSQL; a plain NULL has the column's.
            s.SetProperty(i => i.NextAttemptAt, (DateTime?)null);
        }

        EndLease(s);
    }

    private static void Requeue(UpdateSettersBuilder<Invitation> s, DateTime now) =>
        s.SetProperty(i => i.Attempts, 0)
            .SetProperty(i => i.NextAttemptAt, (DateTime?)null)
            .SetProperty(i => i.QueuedAt, now);

    private static void EndLease(UpdateSettersBuilder<Invitation> s) =>
        s.SetProperty(i => i.LeaseOwner, (string?)null)
            .SetProperty(i => i.LeaseToken, (Guid?)null)
            .SetProperty(i => i.LeaseExpiresAt, (DateTime?)null);

    /// <summary>Runs a set-based transition: only rows in one of its From statuses change, to its To status.</summary>
    private static Task<int> Apply(
        this IQueryable<Invitation> rows,
        InvitationTransition transition,
        DateTime now,
        Action<UpdateSettersBuilder<Invitation>> set,
        CancellationToken ct)
    {
        var rule = Transitions.Of(transition);
        return rows.Where(StatusFilter.In<Invitation, InvitationStatus>(nameof(Invitation.Status), rule.From)).ExecuteUpdateAsync(
            s =>
            {
                s.SetProperty(i => i.Status, rule.To).SetProperty(i => i.UpdatedAt, now);
                set(s);
            },
            ct);
    }
}
