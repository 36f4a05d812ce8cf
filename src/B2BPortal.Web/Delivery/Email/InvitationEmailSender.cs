namespace B2BPortal.Web.Delivery.Email;

/// <summary>
/// The portal's email stage (docs/architecture.md decision 3a): sends each invited guest's localized email with the redeem
/// link, at most <see cref="InvitationEmailOptions.EmailsPerMinute"/>, separately from the invitations so a mail
/// transport's limits never slow them.
/// </summary>
/// <remarks>
/// Never twice: a row is leased (<see cref="Invitation.EmailLeaseUntil"/>) before its email is handed over and recorded
/// after. A lease that runs out unrecorded (the process died mid-send), or a send whose answer was lost, is marked
/// "unknown" for an admin to re-send — it is not sent again by itself. An email that never started is sent after a
/// crash, because its row is still due.
/// </remarks>
public sealed class InvitationEmailSender(
    IDbContextFactory<PortalDbContext> dbFactory,
    GraphGateway graph,
    InvitationEmailComposer composer,
    InvitationEmailRenderer renderer,
    TenantConnectionResolver tenant,
    IOptions<InvitationEmailOptions> options,
    IOptions<DeliveryOptions> delivery,
    TimeProvider time,
    ILogger<InvitationEmailSender> logger,
    TenantPacer pacer,
    PortalMetrics? metrics = null,
    SmtpMailTransport? smtp = null,
    AdminTokens? adminTokens = null) : BackgroundService
{
    public const string UnknownOutcome =
        "The portal stopped or lost Graph's answer while sending this email, so it may or may not have arrived. It is not sent again by itself: re-send the row if the guest has no email.";

    private readonly InvitationEmailOptions _options = options.Value;
    private DateTime _nextSweep = DateTime.MinValue;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Sends at most one due email (waiting for its pacing slot first); false when none was due.</summary>
    public async Task<bool> SendNextAsync(CancellationToken ct)
    {
        await GiveUpOnExpiredLeasesAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await Due(db.Invitations, Now).AnyAsync(ct))
        {
            return false; // nothing due: no slot taken (an idle poll writes nothing)
        }

        // The Graph token first, as for invitations: a slot spent fetching it would let the next email arrive early.
        if (!_options.Smtp.Enabled)
        {
            await graph.EnsureTokenAsync(ct);
        }

        await WaitForSlotAsync(ct);
        var now = Now;
        var candidate = await Due(db.Invitations, now).OrderBy(i => i.EmailDueAt).Select(i => i.Id).FirstOrDefaultAsync(ct);
        if (candidate == 0)
        {
            return false; // another instance took it meanwhile
        }

        // The lease's expiry doubles as its token: only the claim that set it records the outcome.
        var lease = now + _options.EmailLease;
        if (await Due(db.Invitations, now).Where(i => i.Id == candidate).ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailLeaseUntil, lease), ct) == 0)
        {
            return true; // another sender took it; try the next one
        }

        var row = await db.Invitations.AsNoTracking().Include(i => i.Batch).SingleAsync(i => i.Id == candidate, ct);
        var outcome = await SendAsync(row, ct);
        var leased = db.Invitations.Where(i => i.Id == candidate && i.EmailLeaseUntil == lease);
        switch (outcome)
        {
            case Completed:
                await leased.ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailSentAt, Now).SetProperty(i => i.EmailLeaseUntil, (DateTime?)null), ct);
                logger.EmailSent(row.Id);
                metrics?.Email("sent");
                break;
            case Throttled throttled:
                var after = Now + (throttled.RetryAfter ?? delivery.Value.DefaultRetryAfter);
                await leased.ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailDueAt, after).SetProperty(i => i.EmailLeaseUntil, (DateTime?)null), ct);
                metrics?.Email("retried");
                break;
            case Transient:
                var retry = Now + _options.RetryDelay;
                await leased.ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailDueAt, retry).SetProperty(i => i.EmailLeaseUntil, (DateTime?)null), ct);
                metrics?.Email("retried");
                break;
            case MailUncertain:
                await leased.ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailError, UnknownOutcome).SetProperty(i => i.EmailLeaseUntil, (DateTime?)null), ct);
                logger.EmailUncertain(row.Id);
                metrics?.Email("unknown");
                break;
            default:
                var error = outcome is PermanentFailure p ? p.Message : outcome is TenantBlocked b ? b.Message : outcome.ToString();
                await leased.ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailError, error).SetProperty(i => i.EmailLeaseUntil, (DateTime?)null), ct);
                logger.EmailRefused(row.Id);
                metrics?.Email("refused");
                break;
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await SendNextAsync(stoppingToken))
                {
                    await Task.Delay(delivery.Value.IdleDelay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The stage outlives one failure (database restart); leases keep emails from going twice.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.EmailStageFailed(ex);
                try
                {
                    await Task.Delay(delivery.Value.IdleDelay, time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
    }

    private async Task<GraphOutcome> SendAsync(Invitation row, CancellationToken ct)
    {
        var sender = _options.EffectiveSender(tenant.Current.IsSimulated);
        if (sender is null || row.RedeemUrl is null)
        {
            return new PermanentFailure(sender is null
                ? "No mailbox to send from: set Invitations:Mailbox."
                : "Graph returned no redeem link for this guest, so there is nothing to send; re-send the row.");
        }

        var model = await composer.ComposeAsync(row, row.Batch!, ct);
        var html = await renderer.RenderHtmlAsync(model);
        if (_options.Smtp.Enabled && smtp is not null)
        {
            return await smtp.SendAsync(sender, row.Email, model.Subject, html, model.ToText(), ct);
        }

        // A batch sent as an admin: the email comes from that admin's own mailbox with their delegated token, as Microsoft's
        // email would name them. An admin without a mailbox (Exchange refuses) gets the configured mailbox instead.
        if (row.Batch!.SenderObjectId is { } admin && row.Batch.SenderTenantId is { } tenantId && adminTokens is not null)
        {
            var token = await adminTokens.GetGraphTokenAsync(admin, tenantId, ct);
            if (token.MustSignInAgain)
            {
                return new Transient($"Waiting for {row.Batch.SentAs} to sign in to the portal again to send from their mailbox. {token.SignInAgainReason}");
            }

            GraphOutcome own;
            using (GraphGateway.ActAs(token.AccessToken!))
            {
                own = await graph.SendMailAsync(null, row.Email, model.Subject, html, ct);
            }

            if (own is not PermanentFailure)
            {
                return own;
            }

            logger.EmailFromConfiguredMailbox(row.Id);
        }

        return await graph.SendMailAsync(sender, row.Email, model.Subject, html, ct);
    }

    /// <summary>One email per 60/EmailsPerMinute seconds, through the tenant's shared slot (every instance, across restarts).</summary>
    private Task WaitForSlotAsync(CancellationToken ct) =>
        pacer.AcquireEmailSlotAsync(TimeSpan.FromMinutes(1 / Math.Max(0.001, _options.EmailsPerMinute)), ct);

    private async Task GiveUpOnExpiredLeasesAsync(CancellationToken ct)
    {
        // No index serves EmailLeaseUntil: sweep once per half lease, not on every poll (a lease cannot expire sooner).
        var now = Now;
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + (_options.EmailLease / 2);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lost = await db.Invitations
            .Where(i => i.EmailLeaseUntil != null && i.EmailLeaseUntil < now && i.EmailSentAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.EmailError, UnknownOutcome).SetProperty(i => i.EmailLeaseUntil, (DateTime?)null), ct);
        if (lost > 0)
        {
            logger.EmailLeasesExpired(lost);
        }
    }

    private static IQueryable<Invitation> Due(IQueryable<Invitation> rows, DateTime now) =>
        rows.Where(i => i.EmailDueAt != null && i.EmailSentAt == null && i.EmailError == null && i.EmailLeaseUntil == null && i.EmailDueAt <= now);
}
