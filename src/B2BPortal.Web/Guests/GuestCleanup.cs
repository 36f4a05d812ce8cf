namespace B2BPortal.Web.Guests;

/// <summary>What clean-up does to one guest.</summary>
public enum CleanupKind
{
    /// <summary>Send the invitation once more (the row goes back to the queue and is sent like any other).</summary>
    Reinvite,

    /// <summary>Delete the user in Entra (<c>DELETE /users/{id}</c>), restorable from deleted items for 30 days.</summary>
    Remove,

    /// <summary>Ask the inactive guest's sponsor whether to keep the guest (<c>Portal:Cleanup:AskSponsorDays</c>); removed later unless kept.</summary>
    AskSponsor,
}

/// <summary>One line of the dry-run report: the guest, what would happen and why.</summary>
public sealed record CleanupAction(long InvitationId, string GraphUserId, string Email, string? DisplayName, CleanupKind Kind, string Reason);

/// <summary>A guest a rule would touch but clean-up leaves alone, and why (a member now, gone from the tenant, sign-in not reported).</summary>
public sealed record CleanupSkip(long InvitationId, string Email, string Reason);

/// <summary>The dry run: exactly what a run would do now. <see cref="Problem"/> when Graph could not be read (nothing runs then).</summary>
public sealed record CleanupPlan(IReadOnlyList<CleanupAction> Actions, IReadOnlyList<CleanupSkip> Skipped, string? SignInNotReported, string? Problem);

/// <summary>What a run did; <see cref="StoppedBecause"/> when it ended early (paused, throttled, Graph refusing).</summary>
public sealed record CleanupResult(CleanupPlan Plan, int Reinvited, int Removed, IReadOnlyList<string> Failures, string? StoppedBecause, int SponsorsAsked = 0);

/// <summary>
/// Guest clean-up (issue 13): the dry run, the run and the restore. Only guests the portal invited are ever considered
/// (the latest Invitations row of each GraphUserId), and each one's userType is read from Graph right before the run
/// decides: a user who is not a Guest is never removed. Removals take the write lane of <see cref="TenantPacer"/> and
/// stop when the tenant is paused or throttled; re-invitations go through the queue, paced like every invitation.
/// Every re-invitation, removal, restore and run is audited.
/// </summary>
public sealed class GuestCleanup(
    IDbContextFactory<PortalDbContext> dbFactory,
    GraphGateway graph,
    TenantPacer pacer,
    IOptionsMonitor<GuestCleanupOptions> options,
    TimeProvider time,
    IOptions<Delivery.Email.InvitationEmailOptions> email,
    Hosting.TenantConnectionResolver tenant,
    Delivery.Email.SmtpMailTransport smtp)
{
    private const int CandidateChunk = 1000;

    /// <summary>What a run that found another one under way says (nothing planned, done or audited).</summary>
    public const string AlreadyRunning = "Another clean-up run is under way (another worker, or an admin); this one did nothing. Try again when it has finished.";

    /// <summary>How long a run holds the tenant's clean-up at most: longer than any run takes, short enough if its instance dies.</summary>
    private static readonly TimeSpan RunHold = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxSlotWait = TimeSpan.FromSeconds(30);

    public GuestCleanupOptions Rules => options.CurrentValue;

    public async Task<CleanupPlan> PlanAsync(CancellationToken ct)
    {
        var rules = options.CurrentValue;
        if (!rules.AnyRule)
        {
            return new CleanupPlan([], [], null, null);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var unacceptedDays = new[] { rules.ReinviteAfterDays, rules.RemoveUnacceptedAfterDays }.Where(d => d is not null).Select(d => d!.Value).ToList();
        var unacceptedCutoff = unacceptedDays.Count == 0 ? (DateTime?)null : now.AddDays(-unacceptedDays.Min());
        var inactiveCutoff = rules.RemoveInactiveAfterDays is { } inactive ? now.AddDays(-inactive) : (DateTime?)null;

        var actions = new List<CleanupAction>();
        var skipped = new List<CleanupSkip>();
        string? notReported = null;
        string? problem = null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // Two candidate sets, each an index range on its rule's date (InvitedAt, AcceptedAt: GuestListPlanTests), then
        // the latest-row check per candidate on IX_Invitations_Guests; only these reach Graph.
        if (unacceptedCutoff is { } unaccepted)
        {
            await CollectAsync(before => UnacceptedCandidates(db, unaccepted, before));
        }

        if (inactiveCutoff is { } idle && problem is null)
        {
            await CollectAsync(before => InactiveCandidates(db, idle, before));
        }

        return new CleanupPlan(actions, skipped, notReported, problem);

        async Task CollectAsync(Func<long?, IQueryable<Invitation>> candidates)
        {
            long? before = null;
            while (actions.Count < rules.MaxActionsPerRun)
            {
                var chunk = await candidates(before)
                    .OrderByDescending(i => i.Id)
                    .Take(CandidateChunk)
                    .Select(i => new Candidate(i.Id, i.GraphUserId!, i.Email, i.DisplayName, i.Status, i.InvitedAt, i.AcceptedAt, i.ReinvitedAt, i.RestoredAt,
                        i.SponsorId, i.SponsorAskedAt, i.KeptAt))
                    .ToListAsync(ct);
                if (chunk.Count == 0)
                {
                    return;
                }

                before = chunk[^1].Id;
                var read = await graph.GetGuestActivityAsync([.. chunk.Select(c => c.GraphUserId)], ct);
                notReported ??= read.SignInNotReported;
                if (read.Failure is not null)
                {
                    problem = $"Graph could not be read: {GraphOutcome.Describe(read.Failure)}";
                    return;
                }

                foreach (var c in chunk)
                {
                    Decide(c, read.Users.GetValueOrDefault(c.GraphUserId), rules, now, actions, skipped);
                    if (actions.Count >= rules.MaxActionsPerRun)
                    {
                        return;
                    }
                }

                if (chunk.Count < CandidateChunk)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Latest rows of guests still not accepted, invited at or before <paramref name="cutoff"/>.</summary>
    internal static IQueryable<Invitation> UnacceptedCandidates(PortalDbContext db, DateTime cutoff, long? before) =>
        LatestPerGuest(db, before).Where(i => i.RemovedAt == null && i.Status == InvitationStatus.Invited && i.InvitedAt <= cutoff);

    /// <summary>Latest rows of accepted guests whose acceptance (and restore, if any) is at or before <paramref name="cutoff"/>.</summary>
    internal static IQueryable<Invitation> InactiveCandidates(PortalDbContext db, DateTime cutoff, long? before) =>
        LatestPerGuest(db, before).Where(i => i.RemovedAt == null && i.Status == InvitationStatus.Accepted && i.AcceptedAt <= cutoff
            && (i.RestoredAt == null || i.RestoredAt <= cutoff) && (i.KeptAt == null || i.KeptAt <= cutoff));

    private static void Decide(Candidate c, GuestActivity? user, GuestCleanupOptions rules, DateTime now, List<CleanupAction> actions, List<CleanupSkip> skipped)
    {
        if (user is null)
        {
            skipped.Add(new CleanupSkip(c.Id, c.Email, "Not found in the tenant (deleted outside the portal?): nothing to do."));
            return;
        }

        if (!string.Equals(user.UserType, "Guest", StringComparison.OrdinalIgnoreCase))
        {
            skipped.Add(new CleanupSkip(c.Id, c.Email, $"The user is a {user.UserType ?? "user of unknown type"} in the tenant, not a guest: clean-up never removes members."));
            return;
        }

        if (c.Status == InvitationStatus.Invited && c.InvitedAt is { } invitedAt)
        {
            var days = (int)(now - invitedAt).TotalDays;
            if (rules.ReinviteAfterDays is { } reinvite && c.ReinvitedAt is null && invitedAt <= now.AddDays(-reinvite))
            {
                actions.Add(new CleanupAction(c.Id, c.GraphUserId, c.Email, c.DisplayName, CleanupKind.Reinvite,
                    $"Not accepted {Days(days)} after the invitation of {Date(invitedAt)} (rule: re-invite once after {Days(reinvite)})."));
            }
            else if (rules.RemoveUnacceptedAfterDays is { } remove && (rules.ReinviteAfterDays is null || c.ReinvitedAt is not null)
                && invitedAt <= now.AddDays(-remove))
            {
                var which = c.ReinvitedAt is null ? "invitation" : "re-invitation";
                actions.Add(new CleanupAction(c.Id, c.GraphUserId, c.Email, c.DisplayName, CleanupKind.Remove,
                    $"Not accepted {Days(days)} after the {which} of {Date(invitedAt)} (rule: remove after {Days(remove)} without acceptance)."));
            }

            return;
        }

        if (c.Status == InvitationStatus.Accepted && rules.RemoveInactiveAfterDays is { } inactive)
        {
            if (!user.SignInReported)
            {
                skipped.Add(new CleanupSkip(c.Id, c.Email, "Last sign-in not reported by the tenant: the inactivity rule cannot apply."));
                return;
            }

            var since = new[] { user.LastSignIn, c.AcceptedAt, c.RestoredAt, c.KeptAt }.Max();
            if (since is { } last && last <= now.AddDays(-inactive))
            {
                var what = user.LastSignIn is { } signIn && signIn >= last
                    ? $"No sign-in since {Date(signIn)}"
                    : c.KeptAt is { } kept && kept >= last ? $"No sign-in since the sponsor kept the guest on {Date(kept)}"
                    : c.RestoredAt is { } restored && restored >= last ? $"No sign-in since the restore on {Date(restored)}" : $"No sign-in since accepting on {Date(last)}";
                var idle = $"{what}, {Days((int)(now - last).TotalDays)} ago";
                if (rules.AskSponsorDays is { } ask && c.SponsorId is not null)
                {
                    // The sponsor is asked first (once per idle period); the guest goes when the sponsor let the days pass.
                    if (c.SponsorAskedAt is not { } asked || asked < last)
                    {
                        actions.Add(new CleanupAction(c.Id, c.GraphUserId, c.Email, c.DisplayName, CleanupKind.AskSponsor,
                            $"{idle} (rule: remove after {Days(inactive)} without sign-in, asking the sponsor first; removed {Days(ask)} after the question unless kept)."));
                    }
                    else if (asked > now.AddDays(-ask))
                    {
                        skipped.Add(new CleanupSkip(c.Id, c.Email, $"{idle}; the sponsor was asked on {Date(asked)} and may keep the guest until {Date(asked.AddDays(ask))}."));
                    }
                    else
                    {
                        actions.Add(new CleanupAction(c.Id, c.GraphUserId, c.Email, c.DisplayName, CleanupKind.Remove,
                            $"{idle}; the sponsor, asked on {Date(asked)}, did not keep the guest within {Days(ask)} (rule: remove after {Days(inactive)} without sign-in)."));
                    }

                    return;
                }

                actions.Add(new CleanupAction(c.Id, c.GraphUserId, c.Email, c.DisplayName, CleanupKind.Remove,
                    $"{idle} (rule: remove after {Days(inactive)} without sign-in)."));
            }
        }
    }

    /// <summary>Runs the clean-up now: plans afresh (so it does exactly what a dry run at this moment shows) and carries it out.</summary>
    public async Task<CleanupResult> RunAsync(string actor, CancellationToken ct)
    {
        if (!await pacer.TryStartCleanupRunAsync(RunHold, ct))
        {
            return new CleanupResult(new CleanupPlan([], [], null, null), 0, 0, [], AlreadyRunning);
        }

        try
        {
            return await RunHeldAsync(actor, ct);
        }
        finally
        {
            await pacer.EndCleanupRunAsync(CancellationToken.None);
        }
    }

    private async Task<CleanupResult> RunHeldAsync(string actor, CancellationToken ct)
    {
        var plan = await PlanAsync(ct);
        var failures = new List<string>();
        var reinvited = 0;
        var removed = 0;
        var asked = 0;
        string? stopped = plan.Problem;
        if (stopped is null)
        {
            foreach (var action in plan.Actions)
            {
                if (action.Kind == CleanupKind.Reinvite)
                {
                    reinvited += await ReinviteAsync(action, actor, ct);
                    continue;
                }

                if (action.Kind == CleanupKind.AskSponsor)
                {
                    asked += await AskSponsorAsync(action, actor, ct);
                    continue;
                }

                var slot = await pacer.AcquireWriteSlotAsync(MaxSlotWait, ct);
                if (slot.Mode != PacingMode.Sending)
                {
                    stopped = slot.Mode == PacingMode.Paused
                        ? $"Sending is paused ({slot.Reason}); clean-up continues after an admin resumes."
                        : $"Graph asked the portal to wait (until {slot.Until:u}); the next run continues.";
                    break;
                }

                var outcome = await graph.DeleteUserAsync(action.GraphUserId, ct);
                if (outcome is Completed)
                {
                    removed += await RecordRemovedAsync(action, actor, ct);
                }
                else if (outcome is Throttled throttled)
                {
                    await pacer.RecordRetryAfterAsync(throttled.RetryAfter, ct);
                    stopped = "Graph throttled the portal; the next run continues.";
                    break;
                }
                else
                {
                    failures.Add($"{action.Email}: {GraphOutcome.Describe(outcome)}");
                }
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit(time.GetUtcNow().UtcDateTime, actor, "CleanupRun", $"{Plural.Of(removed, "guest")} removed, {reinvited} re-invited, {Plural.Of(asked, "sponsor")} asked, {failures.Count} failed" + (stopped is null ? string.Empty : $"; stopped: {stopped}"));
        await db.SaveChangesAsync(ct);
        return new CleanupResult(plan, reinvited, removed, failures, stopped, asked);
    }

    /// <summary>Restores a removed guest from Entra's deleted items (within 30 days of the removal); returns what to tell the admin.</summary>
    public async Task<(bool Restored, string Message)> RestoreAsync(long invitationId, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Invitations.AsNoTracking()
            .Where(i => i.Id == invitationId && i.RemovedAt != null && i.GraphUserId != null)
            .Select(i => new { i.Id, i.Email, i.GraphUserId })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return (false, "That guest is not removed (restored already, or never removed by the portal).");
        }

        var slot = await pacer.AcquireWriteSlotAsync(MaxSlotWait, ct);
        if (slot.Mode != PacingMode.Sending)
        {
            return (false, slot.Mode == PacingMode.Paused
                ? $"Sending is paused ({slot.Reason}); resume it on the dashboard, then restore."
                : "Graph asked the portal to wait; try again in a minute.");
        }

        var outcome = await graph.RestoreUserAsync(row.GraphUserId!, ct);
        if (outcome is Throttled throttled)
        {
            await pacer.RecordRetryAfterAsync(throttled.RetryAfter, ct);
        }

        if (outcome is not Completed)
        {
            return (false, outcome is PermanentFailure { Message: var m } && m.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
                ? $"{row.Email} is no longer in Entra's deleted items (removed more than 30 days ago, or deleted permanently): invite them again instead."
                : $"{row.Email} was not restored: {GraphOutcome.Describe(outcome)}");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.Invitations.Where(i => i.GraphUserId == row.GraphUserId && i.RemovedAt != null).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.RemovedAt, (DateTime?)null)
                .SetProperty(i => i.RemovedReason, (string?)null)
                .SetProperty(i => i.RestoredAt, now)
                .SetProperty(i => i.UpdatedAt, now),
            ct);
        db.Audit(now, actor, "GuestRestored", $"{row.Email} restored from deleted items");
        await db.SaveChangesAsync(ct);
        return (true, $"{row.Email} is restored, with the same account, groups and applications.");
    }

    /// <summary>The latest row of each guest the portal invited (no later row with the same GraphUserId).</summary>
    internal static IQueryable<Invitation> LatestPerGuest(PortalDbContext db, long? before) =>
        db.Invitations.AsNoTracking()
            .Where(i => i.GraphUserId != null && (before == null || i.Id < before)
                && !db.Invitations.Any(o => o.GraphUserId == i.GraphUserId && o.Id > i.Id));

    private async Task<int> ReinviteAsync(CleanupAction action, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var row = db.Invitations.Where(i => i.Id == action.InvitationId && i.Status == InvitationStatus.Invited && i.ReinvitedAt == null && i.RemovedAt == null);
        if (await row.ExecuteUpdateAsync(s => s.SetProperty(i => i.ReinvitedAt, now), ct) == 0
            || await db.Invitations.Where(i => i.Id == action.InvitationId).ReinviteAsync(resetRedemption: false, now, ct) == 0)
        {
            return 0; // accepted or changed meanwhile: the transaction is rolled back
        }

        db.Audit(now, actor, "GuestReinvited", $"{action.Email}: {action.Reason}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return 1;
    }

    /// <summary>
    /// Records the question (the sponsor sees it on "My access requests") and emails the sponsor from the portal's mailbox
    /// when one is configured; the removal waits <c>AskSponsorDays</c> from now either way.
    /// </summary>
    private async Task<int> AskSponsorAsync(CleanupAction action, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Invitations.AsNoTracking().Where(i => i.Id == action.InvitationId).Select(i => new { i.SponsorId }).SingleAsync(ct);
        if (await db.Invitations.Where(i => i.Id == action.InvitationId && i.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.SponsorAskedAt, now), ct) == 0)
        {
            return 0;
        }

        var days = options.CurrentValue.AskSponsorDays ?? 0;
        var emailed = await EmailSponsorAsync(row.SponsorId!, action, now.AddDays(days), ct);
        db.Audit(now, actor, "SponsorAsked", $"{action.Email}: the sponsor is asked whether to keep the guest (removed on {Date(now.AddDays(days))} unless kept); {emailed}");
        await db.SaveChangesAsync(ct);
        return 1;
    }

    /// <summary>What happened to the email, for the audit log.</summary>
    private async Task<string> EmailSponsorAsync(string sponsorId, CleanupAction action, DateTime removeOn, CancellationToken ct)
    {
        if (email.Value.EffectiveSender(tenant.Current.IsSimulated) is not { } mailbox)
        {
            return "no mailbox is configured for the portal's email (Invitations:Mailbox), so the question is only on their page";
        }

        if (await graph.GetUserMailAsync(sponsorId, ct) is not { Mail: { Length: > 0 } to } sponsor)
        {
            return "the sponsor has no mail address in the tenant, so the question is only on their page";
        }

        var name = System.Net.WebUtility.HtmlEncode(action.DisplayName ?? action.Email);
        var html = $"<p>Hello {System.Net.WebUtility.HtmlEncode(sponsor.DisplayName ?? string.Empty)},</p>" +
            $"<p>You sponsor the guest <strong>{name}</strong> ({System.Net.WebUtility.HtmlEncode(action.Email)}), who has not signed in for a long time. " +
            $"Unless you keep them, their guest account is removed on {Date(removeOn)}.</p>" +
            "<p>To keep them, open <em>My access requests</em> in the B2B portal and choose <strong>Keep</strong>. If they no longer need access, there is nothing to do.</p>";
        var subject = $"Does {action.DisplayName ?? action.Email} still need access?";
        var outcome = email.Value.Smtp.Enabled
            ? await smtp.SendAsync(mailbox, to, subject, html, System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ")).Trim(), ct)
            : await graph.SendMailAsync(mailbox, to, subject, html, ct);
        return outcome is Completed ? "emailed" : $"the email was not sent ({GraphOutcome.Describe(outcome)}); the question is on their page";
    }

    /// <summary>
    /// The sponsor (or an admin) keeps an inactive guest: inactivity counts from now again and the question is answered.
    /// False when the guest is not awaiting an answer or the person is neither.
    /// </summary>
    public async Task<bool> KeepAsync(long invitationId, string? actorObjectId, bool isAdmin, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var row = db.Invitations.Where(i => i.Id == invitationId && i.SponsorAskedAt != null && i.RemovedAt == null
            && (isAdmin || (actorObjectId != null && i.SponsorId == actorObjectId)));
        var email = await row.Select(i => i.Email).FirstOrDefaultAsync(ct);
        if (email is null || await row.ExecuteUpdateAsync(s => s.SetProperty(i => i.KeptAt, now).SetProperty(i => i.SponsorAskedAt, (DateTime?)null), ct) == 0)
        {
            return false;
        }

        db.Audit(now, actor, "GuestKept", $"{email}: kept by the sponsor; inactivity counts from today");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The guests a sponsor is asked about and has not answered yet.</summary>
    public async Task<IReadOnlyList<Invitation>> AwaitingSponsorAsync(string sponsorObjectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Invitations.AsNoTracking()
            .Where(i => i.SponsorId == sponsorObjectId && i.SponsorAskedAt != null && i.RemovedAt == null)
            .OrderBy(i => i.SponsorAskedAt).Take(200).ToListAsync(ct);
    }

    private async Task<int> RecordRemovedAsync(CleanupAction action, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;

        // Every row of the guest, so an older row never shows the guest as present.
        await db.Invitations.Where(i => i.GraphUserId == action.GraphUserId && i.RemovedAt == null).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.RemovedAt, now).SetProperty(i => i.RemovedReason, action.Reason).SetProperty(i => i.UpdatedAt, now),
            ct);
        db.Audit(now, actor, "GuestRemoved", $"{action.Email}: {action.Reason}");
        await db.SaveChangesAsync(ct);
        return 1;
    }

    private static string Days(int days) => Plural.Of(days, "day");

    private static string Date(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Candidate(
        long Id, string GraphUserId, string Email, string? DisplayName, InvitationStatus Status,
        DateTime? InvitedAt, DateTime? AcceptedAt, DateTime? ReinvitedAt, DateTime? RestoredAt,
        string? SponsorId, DateTime? SponsorAskedAt, DateTime? KeptAt);
}
