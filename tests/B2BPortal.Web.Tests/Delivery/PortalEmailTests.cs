using B2BPortal.Simulator.Tenant;
using B2BPortal.Web.Delivery.Email;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// The portal's own invitation email, sent app-only through Graph sendMail: every 2016 column reaches the guest — in
/// the row's language, with the contact link, the message and the app's name — once, and Graph sends no email of its own.
/// </summary>
public sealed class PortalEmailTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private SimulatedTenantServer _tenant = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _tenant = await SimulatedTenantServer.StartAsync();
    }

    public async Task DisposeAsync() => await _tenant.DisposeAsync();

    [Fact]
    public async Task Deliver_2016RowsInGermanJapaneseAndEnglish_EachGuestGetsOnePortalEmailInItsLanguageWithContactLinkMessageAndApp()
    {
        var extranet = _tenant.Tenant.Applications.Single(a => a.DisplayName == "Partner Extranet");
        var de = Row("juergen@partner.example", "de", contact: "https://contoso.example/kontakt", message: null, app: extranet.AppId);
        var ja = Row("yuki@partner.example", "ja", contact: "https://contoso.example/contact-ja", message: "ようこそ、プロジェクトへ", app: null);
        var en = Row("emma@partner.example", null, contact: "https://contoso.example/contact", message: "Welcome aboard", app: null);
        var batchId = await PortalBatchAsync(de, ja, en);

        using var host = DeliveryHarness.BuildHost(Settings());
        await host.StartAsync();
        await Eventually.Until(
            () => DeliveryHarness.RowsAsync(database.CreateContext, batchId),
            rows => rows.All(r => r.EmailSentAt is not null || r.EmailError is not null),
            "every row's portal email was sent or given up on",
            Patience,
            rows => Task.FromResult(string.Join(", ", rows.Select(r => $"row {r.RowNumber} {r.Status} {PortalEmail.StatusOf(r) ?? "no email"}"))));
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal((InvitationStatus.Invited, (string?)null), (r.Status, r.EmailError)));
        Assert.All(rows, r => Assert.NotNull(r.EmailSentAt));
        var mailbox = _tenant.Tenant.Mailbox();
        Assert.DoesNotContain(mailbox, m => m.Kind == MailboxMessage.InvitationKind);
        Assert.Equal(3, mailbox.Count);

        var german = Assert.Single(mailbox, m => m.To == "juergen@partner.example");
        Assert.Equal((MailboxMessage.MailKind, "de"), (german.Kind, german.Language));
        // Sent app-only from the configured mailbox (in simulation the Global Administrator's).
        Assert.Equal(("admin@contoso.com", "B2B Portal"), (german.From, german.InvitedBy));
        Assert.Contains("admin@contoso.onmicrosoft.com", german.Subject, StringComparison.Ordinal);
        Assert.Contains("Einladung annehmen", Shown(german), StringComparison.Ordinal);
        Assert.Contains("https://contoso.example/kontakt", Shown(german), StringComparison.Ordinal);
        Assert.Contains("Sie erhalten Zugriff auf Partner Extranet.", Shown(german), StringComparison.Ordinal);
        Assert.Contains(extranet.LogoUrl!, Shown(german), StringComparison.Ordinal);
        Assert.Equal(rows.Single(r => r.Email == de.Email).RedeemUrl, german.RedeemUrl);

        var japanese = Assert.Single(mailbox, m => m.To == "yuki@partner.example");
        Assert.Equal("ja", japanese.Language);
        Assert.Contains("招待を承諾する", Shown(japanese), StringComparison.Ordinal);
        Assert.Contains("ようこそ、プロジェクトへ", Shown(japanese), StringComparison.Ordinal);
        Assert.Contains("https://contoso.example/contact-ja", Shown(japanese), StringComparison.Ordinal);

        var english = Assert.Single(mailbox, m => m.To == "emma@partner.example");
        Assert.Equal("en", english.Language);
        Assert.Contains("Welcome aboard", Shown(english), StringComparison.Ordinal);
        Assert.Contains("Accept invitation", Shown(english), StringComparison.Ordinal);
        Assert.Equal(3, _tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task Deliver_ThroughSmtp_TheGuestGetsTheEmailWithATextAlternativeAndGraphSendsNoMail()
    {
        var de = Row("kai@partner.example", "de", contact: "https://contoso.example/kontakt", message: "Willkommen im Projekt", app: null);
        var batchId = await PortalBatchAsync(de);
        var settings = Settings();
        settings["Invitations:Smtp:Host"] = "127.0.0.1";
        settings["Invitations:Smtp:Port"] = _tenant.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Invitations:Smtp:Security"] = "None";
        settings["Invitations:Smtp:From"] = "invitations@contoso.com";

        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        var row = Assert.Single(await Eventually.Until(
            () => DeliveryHarness.RowsAsync(database.CreateContext, batchId),
            rows => rows.All(r => r.EmailSentAt is not null || r.EmailError is not null),
            "the portal email went through the SMTP relay",
            Patience,
            rows => Task.FromResult(string.Join(", ", rows.Select(r => $"{r.Status} {PortalEmail.StatusOf(r)}")))));
        await host.StopAsync();

        Assert.Equal((InvitationStatus.Invited, (string?)null), (row.Status, row.EmailError));
        var email = Assert.Single(_tenant.Tenant.Mailbox());
        Assert.Equal((MailboxMessage.MailKind, "invitations@contoso.com", "smtp", "de"), (email.Kind, email.From, email.InvitedBy, email.Language));
        Assert.Contains("Einladung annehmen", email.Body, StringComparison.Ordinal); // the plain-text alternative
        Assert.Contains("Willkommen im Projekt", email.Body, StringComparison.Ordinal);
        Assert.Contains("https://contoso.example/kontakt", Shown(email), StringComparison.Ordinal);
        Assert.Equal(row.RedeemUrl, email.RedeemUrl);
        Assert.Equal(0, _tenant.Tenant.Stats.Requests("POST /users/{id}/sendMail"));
    }

    [Fact]
    public async Task SendNext_SmtpRelayNotListening_TriesAgainLaterAndSendsNothing()
    {
        var settings = UnstartedWorker();
        settings["Invitations:Smtp:Host"] = "127.0.0.1";
        settings["Invitations:Smtp:Port"] = "9";
        settings["Invitations:Smtp:Security"] = "None";
        var batchId = await PortalBatchAsync(Row("later@partner.example", null, contact: null, message: null, app: null));
        await using (var db = database.CreateContext())
        {
            await db.Invitations.Where(i => i.BatchId == batchId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, InvitationStatus.Invited)
                .SetProperty(i => i.RedeemUrl, "https://example.invalid/redeem")
                .SetProperty(i => i.EmailDueAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        using var host = DeliveryHarness.BuildHost(settings);
        Assert.True(await host.Services.GetRequiredService<InvitationEmailSender>().SendNextAsync(CancellationToken.None));

        var row = Assert.Single(await DeliveryHarness.RowsAsync(database.CreateContext, batchId));
        Assert.Equal(((string?)null, (DateTime?)null), (row.EmailError, row.EmailSentAt)); // not given up: due again later
        Assert.True(row.EmailDueAt > DateTime.UtcNow);
        Assert.Empty(_tenant.Tenant.Mailbox());
    }

    [Fact]
    public async Task SendNext_LeaseRanOutWithoutARecord_MarkedUnknownAndNeverSentAgain()
    {
        var batchId = await PortalBatchAsync(Row("lost@partner.example", "fr", contact: null, message: null, app: null));
        var past = DateTime.UtcNow.AddMinutes(-10);
        await using (var db = database.CreateContext())
        {
            // A sender took the row ten minutes ago and died before it recorded the outcome.
            await db.Invitations.Where(i => i.BatchId == batchId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, InvitationStatus.Invited)
                .SetProperty(i => i.RedeemUrl, "https://example.invalid/redeem")
                .SetProperty(i => i.EmailDueAt, past)
                .SetProperty(i => i.EmailLeaseUntil, past.AddMinutes(2)));
        }

        using var host = DeliveryHarness.BuildHost(UnstartedWorker());
        var sender = host.Services.GetRequiredService<InvitationEmailSender>();

        Assert.False(await sender.SendNextAsync(CancellationToken.None));

        var row = Assert.Single(await DeliveryHarness.RowsAsync(database.CreateContext, batchId));
        Assert.Equal(InvitationEmailSender.UnknownOutcome, row.EmailError);
        Assert.Null(row.EmailSentAt);
        Assert.Empty(_tenant.Tenant.Mailbox());
    }

    [Fact]
    public async Task SendNext_MailboxWithoutMail_RecordsExchangesRefusalOnTheRow()
    {
        var settings = UnstartedWorker();
        settings["Invitations:Mailbox"] = "nomailbox@contoso.onmicrosoft.com";
        var batchId = await PortalBatchAsync(Row("nobody@partner.example", null, contact: null, message: null, app: null));
        await using (var db = database.CreateContext())
        {
            await db.Invitations.Where(i => i.BatchId == batchId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, InvitationStatus.Invited)
                .SetProperty(i => i.RedeemUrl, "https://example.invalid/redeem")
                .SetProperty(i => i.EmailDueAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        using var host = DeliveryHarness.BuildHost(settings);
        Assert.True(await host.Services.GetRequiredService<InvitationEmailSender>().SendNextAsync(CancellationToken.None));

        var row = Assert.Single(await DeliveryHarness.RowsAsync(database.CreateContext, batchId));
        Assert.Contains("mailbox is either inactive", row.EmailError, StringComparison.Ordinal);
        Assert.Empty(_tenant.Tenant.Mailbox());
    }

    /// <summary>The email's HTML as a mail client shows it (the renderer writes non-ASCII text as character references).</summary>
    private static string Shown(MailboxMessage message) => System.Net.WebUtility.HtmlDecode(message.Html ?? "");

    private Dictionary<string, string?> Settings()
    {
        var settings = DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl);
        settings["Invitations:EmailsPerMinute"] = "6000";
        return settings;
    }

    /// <summary>A worker host that is never started: the test drives the email stage itself.</summary>
    private Dictionary<string, string?> UnstartedWorker()
    {
        var settings = Settings();
        settings["Portal:Roles"] = "worker";
        return settings;
    }

    private async Task<Guid> PortalBatchAsync(params Invitation[] rows)
    {
        await using var db = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(db, rows, BatchFormat.Legacy);
        await db.Batches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Email, InvitationEmail.Portal)
            .SetProperty(b => b.SubmittedBy, SimulatedTenantDefaults.GlobalAdminUpn));
        return batchId;
    }

    private static Invitation Row(string email, string? language, string? contact, string? message, string? app)
    {
        var row = DeliveryHarness.Row(email, language: language);
        row.ContactUsUrl = contact;
        row.CustomMessage = message;
        row.BrandingAppId = app;
        return row;
    }
}
