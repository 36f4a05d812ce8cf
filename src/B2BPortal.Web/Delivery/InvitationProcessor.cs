using B2BPortal.Web.Delivery.Email;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// Takes one claimed row to its outcome: invitation (or adoption of the guest an earlier attempt created), then the
/// group and app assignments still pending. Every write is fenced by the row's lease token.
/// </summary>
/// <remarks>
/// Status decisions: the row becomes Invited once Graph has the guest and every assignment was tried; an assignment
/// Graph refuses is recorded on the assignment and in LastError but does not un-invite the guest. Transient trouble
/// with an assignment puts the row back in the queue (its GraphUserId kept, so the retry does only what is left).
/// A row Graph keeps failing transiently is Failed after MaxAttempts, but only once a directory look-up confirmed
/// that no earlier attempt reached Graph.
/// </remarks>
public sealed class InvitationProcessor(
    InvitationQueue queue, TenantPacer pacer, GraphGateway graph, GroupAdds groupAdds, BatchSettings batches,
    TenantConnectionResolver tenant, IOptions<DeliveryOptions> options, TimeProvider time,
    ILogger<InvitationProcessor> logger, PortalMetrics metrics, PolicySource policies, AdminTokens? adminTokens = null)
{
    public const string ContactUsPrefix = "Questions? Contact us: ";

    private readonly DeliveryOptions _options = options.Value;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Composes Graph's invitation body from a row. With the portal's own email Graph sends none
    /// (<c>sendInvitationMessage=false</c>): the message, contact link and language go into the portal's email instead.
    /// </summary>
    public InvitationRequest BuildRequest(Invitation row, InvitationEmail email = InvitationEmail.Microsoft)
    {
        ArgumentNullException.ThrowIfNull(row);
        var microsoft = email == InvitationEmail.Microsoft;
        return new InvitationRequest(
            row.Email,
            string.IsNullOrWhiteSpace(row.DisplayName) ? null : row.DisplayName,
            string.IsNullOrWhiteSpace(row.RedirectUrl) ? tenant.Current.DefaultRedirectUrl : row.RedirectUrl,
            microsoft && row.SendEmail,
            microsoft ? InvitationLanguages.ToGraph(row.Language) : null,
            microsoft ? ComposeMessage(row.CustomMessage, row.ContactUsUrl) : null,
            ResetRedemptionUserId: IsResetRedemption(row) ? row.GraphUserId : null);
    }

    /// <summary>The row's message; 2016 rows carried a contact-us URL that Graph has no field for, so it goes into the body.</summary>
    public static string? ComposeMessage(string? customMessage, string? contactUsUrl)
    {
        var message = string.IsNullOrWhiteSpace(customMessage) ? null : customMessage.Trim();
        if (string.IsNullOrWhiteSpace(contactUsUrl))
        {
            return message;
        }

        var contact = ContactUsPrefix + contactUsUrl.Trim();
        return message is null ? contact : $"{message}\n\n{contact}";
    }

    /// <summary>
    /// A re-send with resetRedemption keeps the guest's id and clears InvitedAt (<see cref="Batches.ResendBatch"/>): that pair
    /// marks "invite this existing guest again with resetRedemption" on a Queued row.
    /// </summary>
    internal static bool IsResetRedemption(Invitation row) => row.GraphUserId is not null && row.InvitedAt is null;

    /// <param name="stopping">Host shutdown began: stop waiting for pacing and hand the row back.</param>
    /// <param name="abort">Shutdown timeout: abandon even a Graph call in flight.</param>
    public async Task ProcessAsync(ClaimedInvitation claim, CancellationToken stopping, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var row = claim.Row;
        try
        {
            var inviting = row.GraphUserId is null || IsResetRedemption(row);

            // The domain policy again, as it is now: one tightened after the upload still holds, and the row says so
            // instead of being sent. (The tenant's verified domains Graph refuses by itself.)
            if (inviting && (await policies.CurrentAsync(abort)).Domains.Problem(row.Email) is { } refused)
            {
                await FailAsync(claim, $"Not sent: the address {refused}. The domain policy was checked again just before sending and has changed since the upload.", abort);
                return;
            }

            var delivery = await batches.OfAsync(row.BatchId, abort);
            var senderToken = await SenderTokenAsync(claim, delivery, abort);
            if (delivery.AsAdmin && senderToken is null)
            {
                return; // the batch paused: its sender must sign in again
            }

            // Set here, not inside SenderTokenAsync: an AsyncLocal set in an awaited method does not flow back out.
            using var actingAs = senderToken is null ? null : GraphGateway.ActAs(senderToken);

            if (inviting)
            {
                if (!await InviteAsync(claim, delivery.Email, stopping, abort))
                {
                    return;
                }
            }

            await AssignAsync(claim, abort);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || abort.IsCancellationRequested)
        {
            // The attempt counts when a Graph call may have been cut off; the retry then looks the guest up first.
            await queue.ReleaseAsync(claim, countAttempt: abort.IsCancellationRequested, nextAttemptAt: null, CancellationToken.None);
        }
    }

    /// <summary>
    /// For a batch sent as an admin: their delegated access token for the Graph calls that follow (null for app-only batches).
    /// When it cannot be had silently the batch pauses with a sentence naming the admin, and the row goes back
    /// untouched — nothing is failed; the batch resumes when that admin signs in (docs/architecture.md decision 3).
    /// </summary>
    private async Task<string?> SenderTokenAsync(ClaimedInvitation claim, BatchDelivery delivery, CancellationToken ct)
    {
        if (!delivery.AsAdmin)
        {
            return null;
        }

        var token = adminTokens is null
            ? AdminToken.SignInAgain("This portal instance cannot act as an admin (token acquisition is not configured).")
            : await adminTokens.GetGraphTokenAsync(delivery.SenderObjectId!, delivery.SenderTenantId!, ct);
        if (token.MustSignInAgain)
        {
            await queue.PauseBatchAsync(claim.Row.BatchId, $"Waiting for {delivery.SentAs} to sign in to the portal again. {token.SignInAgainReason}", ct);
            await queue.ReleaseAsync(claim, countAttempt: false, nextAttemptAt: null, ct);
            logger.BatchPaused(claim.Row.BatchId);
            return null;
        }

        return token.AccessToken;
    }

    /// <summary>True when the row has its guest and may go on to the assignments.</summary>
    private async Task<bool> InviteAsync(ClaimedInvitation claim, InvitationEmail email, CancellationToken stopping, CancellationToken abort)
    {
        var row = claim.Row;
        var portalEmail = email == InvitationEmail.Portal && row.SendEmail;

        // The address is looked up before every invitation (docs/graph.md): a member of the organization is never
        // invited as a guest nor adopted, and an earlier attempt may have reached Graph without us hearing the answer
        // (timeout, crash, lease lost). With the portal's email Graph sends none, so inviting a found guest again is
        // harmless and returns the redeem link the email needs; with Microsoft's email it would be a second email.
        if (!IsResetRedemption(row))
        {
            var earlierAttempt = row.Attempts > 1 || row.LastError is not null;
            var gate = await pacer.CheckAsync(abort);
            if (gate.Mode == PacingMode.Throttled)
            {
                metrics.Invitation(InvitationOutcome.Throttled);
                await queue.ReleaseAsync(claim, countAttempt: false, gate.Until, abort);
                return false;
            }

            var lookup = await graph.FindGuestByEmailAsync(row.Email, abort);
            switch (lookup)
            {
                case MemberFound:
                    await FailAsync(claim, MemberMessage(row.Email), abort);
                    return false;
                case GuestFound found when earlierAttempt && email == InvitationEmail.Microsoft:
                    logger.AdoptedGuest(row.Id);
                    metrics.Invitation(InvitationOutcome.Adopted);
                    return await RecordInvitedAsync(claim, found.UserId, redeemUrl: null, emailDue: false, abort);
                case GuestFound or GuestNotFound:
                    break;
                case Throttled or TenantBlocked:
                    await BackOffAsync(claim, lookup, abort);
                    return false;
                case var other when row.Attempts >= _options.MaxAttempts:
                    // Graph never let us check; give up with what the last attempt said.
                    await FailAsync(claim, GraphOutcome.Describe(other), abort);
                    return false;
                case var other:
                    await RetryLaterAsync(claim, GraphOutcome.Describe(other), abort);
                    return false;
            }
        }

        if (row.Attempts > _options.MaxAttempts)
        {
            await FailAsync(claim, row.LastError ?? $"Gave up after {_options.MaxAttempts} attempts.", abort);
            return false;
        }

        await graph.EnsureTokenAsync(abort);

        // Waiting longer than a quarter lease would risk the lease; the row goes back and is claimed when due.
        var slot = await pacer.AcquireInvitationSlotAsync(_options.LeaseDuration / 4, stopping);
        if (!slot.MayProceed)
        {
            metrics.Invitation(slot.Mode == PacingMode.Paused ? InvitationOutcome.Paused : InvitationOutcome.Throttled);
            await queue.ReleaseAsync(claim, countAttempt: false, slot.Until, abort);
            return false;
        }

        // Cancel wins until the request leaves: handed back, a row of a cancelled batch becomes Cancelled (Release).
        if (await queue.IsBatchCancelledAsync(row.BatchId, abort))
        {
            await queue.ReleaseAsync(claim, countAttempt: false, nextAttemptAt: null, abort);
            return false;
        }

        var sent = await graph.InviteAsync(BuildRequest(row, email), abort);
        switch (sent)
        {
            case Invited invited:
                metrics.Invitation(InvitationOutcome.Invited);
                return await RecordInvitedAsync(claim, invited.UserId, invited.RedeemUrl, portalEmail, abort);
            case PermanentFailure failure:
                await FailAsync(claim, failure.Message, abort);
                return false;
            case Throttled or TenantBlocked:
                await BackOffAsync(claim, sent, abort);
                return false;
            case var other:
                await RetryLaterAsync(claim, GraphOutcome.Describe(other), abort);
                return false;
        }
    }

    /// <summary>
    /// Graph's "not now" answers, the same to a look-up and to an invitation: a 429 makes every instance wait, a 403 abuse
    /// block pauses the tenant. Either way the row goes back without spending an attempt.
    /// </summary>
    private Task BackOffAsync(ClaimedInvitation claim, GraphOutcome outcome, CancellationToken ct) => outcome switch
    {
        Throttled throttled => WaitOutRetryAfterAsync(claim, throttled, ct),
        TenantBlocked blocked => PauseTenantAsync(claim, blocked, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Only a 429 or an abuse block backs off."),
    };

    /// <summary>A 429: every instance pauses until Retry-After has passed, and the row goes back without spending an attempt.</summary>
    private async Task WaitOutRetryAfterAsync(ClaimedInvitation claim, Throttled throttled, CancellationToken ct)
    {
        metrics.Invitation(InvitationOutcome.Throttled);
        var until = await pacer.RecordRetryAfterAsync(throttled.RetryAfter, ct);
        await queue.ReleaseAsync(claim, countAttempt: false, until, ct);
    }

    /// <param name="emailDue">The portal writes this guest's email: it becomes due now (the email stage sends it).</param>
    private async Task<bool> RecordInvitedAsync(ClaimedInvitation claim, string userId, string? redeemUrl, bool emailDue, CancellationToken ct)
    {
        var row = claim.Row;
        var now = Now;
        var written = await queue.UpdateAsync(
            claim,
            s =>
            {
                s.SetProperty(i => i.GraphUserId, userId)
                    .SetProperty(i => i.RedeemUrl, redeemUrl)
                    .SetProperty(i => i.InvitedAt, now)
                    .SetProperty(i => i.LastError, (string?)null);
                if (emailDue)
                {
                    s.SetProperty(i => i.EmailDueAt, i => i.EmailSentAt == null ? now : i.EmailDueAt);
                }
            },
            ct);
        row.GraphUserId = userId;
        row.InvitedAt = now;
        if (!written)
        {
            logger.LeaseLost(row.Id);
        }

        return written;
    }

    private async Task AssignAsync(ClaimedInvitation claim, CancellationToken ct)
    {
        var row = claim.Row;
        var assignments = await queue.EnsureAssignmentsAsync(claim, ct);
        if (assignments is null)
        {
            logger.LeaseLost(row.Id);
            return;
        }

        // Group adds go out together with other rows' adds to the same group (GroupAdds), while this row's app
        // assignments and sponsor go out one by one; a stop (throttled, paused, waiting) ends the one-by-one part.
        var userId = row.GraphUserId!;
        var groupAdds = AddToGroupsAsync(assignments, userId, ct);
        var outcomes = new Dictionary<long, GraphOutcome>();
        foreach (var assignment in assignments.Where(a => a.Status == AssignmentStatus.Pending && a.Kind != AssignmentKind.Group).OrderBy(a => a.Id))
        {
            // Every app assignment and sponsor is an identity write under Graph's write quota: paced in its own lane.
            var slot = await pacer.AcquireWriteSlotAsync(_options.LeaseDuration / 4, ct);
            var outcome = !slot.MayProceed
                ? new WriteDeferred(slot.Until)
                : assignment.Kind == AssignmentKind.Sponsor
                    ? await graph.AddSponsorAsync(userId, assignment.TargetId, ct)
                    : await graph.AssignAppAsync(assignment.TargetId, userId, ct);
            outcomes[assignment.Id] = outcome;
            if (StopsTheRow(outcome, row))
            {
                break;
            }
        }

        foreach (var (id, outcome) in await groupAdds)
        {
            outcomes[id] = outcome;
        }

        // Successes are recorded first, so a return below never makes a retry do them again.
        foreach (var (id, _) in outcomes.Where(o => o.Value is Completed))
        {
            await queue.SetAssignmentAsync(claim, id, AssignmentStatus.Done, null, ct);
        }

        var errors = new List<string>();
        foreach (var assignment in assignments.OrderBy(a => a.Id))
        {
            if (assignment.Status == AssignmentStatus.Failed)
            {
                errors.Add(AssignmentError(assignment, assignment.Error));
            }

            // Not tried (a stop came first; it is handled when the loop reaches it) or already recorded as Done.
            if (assignment.Status != AssignmentStatus.Pending || !outcomes.TryGetValue(assignment.Id, out var outcome) || outcome is Completed)
            {
                continue;
            }

            switch (outcome)
            {
                case WriteDeferred deferred:
                    await queue.ReleaseAsync(claim, countAttempt: false, deferred.Until, ct);
                    return;
                case TenantBlocked blocked:
                    // Missing consent refuses every row's assignment alike: the row waits (its guest kept) until resumed.
                    await PauseTenantAsync(claim, blocked, ct);
                    return;
                case PermanentFailure:
                    var message = GraphOutcome.Describe(outcome);
                    await queue.SetAssignmentAsync(claim, assignment.Id, AssignmentStatus.Failed, message, ct);
                    errors.Add(AssignmentError(assignment, message));
                    break;
                case Throttled throttled:
                    var until = await pacer.RecordRetryAfterAsync(throttled.RetryAfter, ct);
                    await queue.ReleaseAsync(claim, countAttempt: false, until, ct);
                    return;
                case NotYetVisible notYet:
                    // Waiting for replication is not a failed attempt: the row goes back without spending one, until
                    // ReplicationWait after the invitation has passed.
                    if (StillReplicating(row))
                    {
                        var wait = TimeSpan.FromSeconds(Math.Clamp((Now - (row.InvitedAt ?? Now)).TotalSeconds, 2, 60));
                        await queue.ReleaseAsync(claim, countAttempt: false, Now + wait, ct);
                        logger.WaitingForReplication(row.Id, Now + wait);
                        return;
                    }

                    var gaveUp = $"{notYet.Reason} Still not visible {_options.ReplicationWait.TotalMinutes:0.#} minutes after the invitation; re-send the row to try again.";
                    await queue.SetAssignmentAsync(claim, assignment.Id, AssignmentStatus.Failed, gaveUp, ct);
                    errors.Add(AssignmentError(assignment, gaveUp));
                    break;
                default:
                    if (row.Attempts < _options.MaxAttempts)
                    {
                        await RetryLaterAsync(claim, GraphOutcome.Describe(outcome), ct);
                        return;
                    }

                    await queue.SetAssignmentAsync(claim, assignment.Id, AssignmentStatus.Failed, GraphOutcome.Describe(outcome), ct);
                    errors.Add(AssignmentError(assignment, GraphOutcome.Describe(outcome)));
                    break;
            }
        }

        var lastError = errors.Count == 0 ? null : string.Join("; ", errors);
        var done = await queue.UpdateAsync(claim, s => InvitationLifecycle.Invite(s, lastError), ct);
        if (!done)
        {
            logger.LeaseLost(row.Id);
        }
    }

    /// <summary>Whether this outcome sends the row back (or pauses the tenant) rather than ending its assignment: the switch in <see cref="AssignAsync"/>.</summary>
    private bool StopsTheRow(GraphOutcome outcome, Invitation row) => outcome switch
    {
        Completed or PermanentFailure => false,
        NotYetVisible => StillReplicating(row),
        WriteDeferred or TenantBlocked or Throttled => true,
        _ => row.Attempts < _options.MaxAttempts,
    };

    /// <summary>A guest Graph does not see yet is waited for until ReplicationWait after its invitation.</summary>
    private bool StillReplicating(Invitation row) => Now - (row.InvitedAt ?? Now) < _options.ReplicationWait;

    /// <summary>This row's pending group adds, sent at once through <see cref="GroupAdds"/>; keyed by assignment id.</summary>
    private async Task<Dictionary<long, GraphOutcome>> AddToGroupsAsync(IReadOnlyList<InvitationAssignment> assignments, string userId, CancellationToken ct)
    {
        var groups = assignments.Where(a => a.Kind == AssignmentKind.Group && a.Status == AssignmentStatus.Pending).ToList();
        var outcomes = await Task.WhenAll(groups.Select(a => groupAdds.AddAsync(a.TargetId, userId, ct)));
        return groups.Zip(outcomes).ToDictionary(p => p.First.Id, p => p.Second);
    }

    /// <summary>
    /// A refusal that every row would get alike (abuse block, missing consent): the tenant's queue pauses until an admin
    /// resumes it, and this row goes back unchanged — nothing is Failed (docs/architecture.md decision 3).
    /// </summary>
    private async Task PauseTenantAsync(ClaimedInvitation claim, TenantBlocked blocked, CancellationToken ct)
    {
        metrics.Invitation(InvitationOutcome.Paused);
        if (await pacer.PauseAsync(blocked.Message, ct))
        {
            logger.TenantPaused();
        }

        await queue.ReleaseAsync(claim, countAttempt: false, nextAttemptAt: null, ct);
    }

    private async Task RetryLaterAsync(ClaimedInvitation claim, string reason, CancellationToken ct)
    {
        metrics.Invitation(InvitationOutcome.Retried);
        var next = Now + Backoff(claim.Row.Attempts);
        await queue.RetryAsync(claim, next, reason, ct);
        logger.WillRetry(claim.Id, claim.Row.Attempts, next);
    }

    private Task<bool> FailAsync(ClaimedInvitation claim, string message, CancellationToken ct)
    {
        metrics.Invitation(InvitationOutcome.Failed);
        return queue.UpdateAsync(claim, s => InvitationLifecycle.Fail(s, message), ct);
    }

    /// <summary>The row's error when its address belongs to a member of the organization (FailureAdvice matches "already a member").</summary>
    internal static string MemberMessage(string email) =>
        $"{email} is already a member of your organization, so it is not invited as a guest and gets no groups or apps " +
        "from this row. Give the member access directly, or use the partner's own address.";

    /// <summary>Exponential backoff with jitter: base·2^(attempt−1), capped, scaled by a random 50–100 %.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 20);
        var ceiling = Math.Min(_options.BackoffMax.TotalMilliseconds, _options.BackoffBase.TotalMilliseconds * Math.Pow(2, exponent));
#pragma warning disable CA5394 // Jitter spreads retries; it is not security-relevant.
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5)));
#pragma warning restore CA5394
    }

    private static string AssignmentError(InvitationAssignment assignment, string? message) =>
        $"{assignment.Kind switch { AssignmentKind.Group => "Group", AssignmentKind.Sponsor => "Sponsor", _ => "App" }} {assignment.TargetId}: {message}";
}
