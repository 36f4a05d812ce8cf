using AngleSharp.Html.Parser;
using B2BPortal.Simulator.Tenant;
using B2BPortal.Web.UnitTests.Invitations.Csv;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// A hardened tenant ("only admins and Guest Inviters may invite"): a batch submitted in the browser goes out as the
/// Global Administrator who pressed Send, through that admin's delegated token from the portal's token cache — and when
/// that admin's sessions are revoked, the batch waits for them instead of failing.
/// </summary>
public sealed class SendAsAdminTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly AdminSendingPortal _portal = new();

    public Task InitializeAsync() => _portal.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_portal).DisposeAsync();

    [Fact]
    public async Task SentInTheBrowser_RestrictedTenant_EveryRowInvitedAsTheAdminAndTheContactLinkArrives()
    {
        using var admin = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var id = await UploadForReviewAsync();

        await SendOnThePageAsync(admin, id);
        var rows = await WaitForAsync(id, rows => rows.All(r => r.Status == InvitationStatus.Invited), "every row Invited");

        var mailbox = _portal.Tenant.Tenant.Mailbox();
        Assert.Equal(3, mailbox.Count);
        Assert.All(mailbox, m => Assert.Equal((MailboxMessage.InvitationKind, SimulatedTenantDefaults.GlobalAdminUpn), (m.Kind, m.InvitedBy)));
        Assert.All(mailbox, m => Assert.Contains("https://contoso.example/contact", m.Body, StringComparison.Ordinal));
        Assert.Equal(rows.Select(r => r.Email).Order(), mailbox.Select(m => m.To).Order());
        var batch = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}");
        Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, batch.GetProperty("sentAs").GetString());
        Assert.Equal(JsonValueKind.Null, batch.GetProperty("pausedReason").ValueKind);
    }

    [Fact]
    public async Task AdminsSessionsRevoked_BatchPausesWithNoFailedRow_AndFinishesAfterTheySignInAgain()
    {
        using var admin = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var id = await UploadForReviewAsync();
        using (var http = new HttpClient())
        {
            (await http.PostAsync($"{_portal.Tenant.BaseUrl}/_tenant/people/{SimulatedTenantDefaults.GlobalAdminUpn}/revoke-sessions", null)).EnsureSuccessStatusCode();
        }

        await SendOnThePageAsync(admin, id);
        var paused = await Eventually.Until(
            () => PausedReasonAsync(id), reason => reason is not null, "the batch paused for its admin", Patience);

        Assert.StartsWith($"Waiting for {SimulatedTenantDefaults.GlobalAdminUpn} to sign in to the portal again.", paused, StringComparison.Ordinal);

        // Rows claimed before the pause took effect come back too: every row waits in the queue, none failed.
        await WaitForAsync(id, rows => rows.All(r => r.Status == InvitationStatus.Queued), "every row back in the queue");
        Assert.Equal(0, _portal.Tenant.Tenant.Stats.Requests("POST /invitations"));
        var page = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/Batches/Details/{id}"));
        Assert.Contains($"Waiting for {SimulatedTenantDefaults.GlobalAdminUpn} to sign in", page.QuerySelector("#batch-paused")!.TextContent, StringComparison.Ordinal);
        var dashboard = new HtmlParser().ParseDocument(await admin.GetStringAsync("/"));
        Assert.NotNull(dashboard.QuerySelector("#attention-list [data-paused=batch]"));

        using var again = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await WaitForAsync(id, rows => rows.All(r => r.Status == InvitationStatus.Invited), "every row Invited after the admin signed in again");

        Assert.Null(await PausedReasonAsync(id));
        Assert.Equal(3, _portal.Tenant.Tenant.Mailbox().Count);
        Assert.All(_portal.Tenant.Tenant.Mailbox(), m => Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, m.InvitedBy));
    }

    [Fact]
    public async Task PortalEmail_SentAsTheAdmin_ComesFromTheAdminsOwnMailboxInEachLanguageWithContactLinkAndApp()
    {
        using var admin = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var id = await UploadForReviewAsync("portal", withGroupAndApp: true);

        await SendOnThePageAsync(admin, id);
        var rows = await WaitForAsync(id, rows => rows.All(r => r.EmailSentAt is not null || r.EmailError is not null), "every portal email sent");

        Assert.All(rows, r => Assert.Equal((InvitationStatus.Invited, (string?)null, (string?)null), (r.Status, r.EmailError, r.LastError)));
        await using (var db = await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var ids = rows.Select(r => r.Id).ToList();
            var assignments = await db.InvitationAssignments.Where(a => ids.Contains(a.InvitationId)).ToListAsync();
            Assert.Equal(6, assignments.Count(a => a.Status == AssignmentStatus.Done)); // a group and an app per guest
        }

        Assert.All(_portal.Tenant.Tenant.Mailbox(), m =>
        {
            var shown = System.Net.WebUtility.HtmlDecode(m.Html ?? "");
            Assert.Contains("https://contoso.example/contact", shown, StringComparison.Ordinal);
            Assert.Contains("Partner Extranet", shown, StringComparison.Ordinal);
        });
        var mailbox = _portal.Tenant.Tenant.Mailbox();
        Assert.Equal(3, mailbox.Count);
        // Delegated sendMail (/me/sendMail): the admin sent it, from their own address — not the app from a shared mailbox.
        Assert.All(mailbox, m => Assert.Equal((MailboxMessage.MailKind, SimulatedTenantDefaults.GlobalAdminUpn, "admin@contoso.com"), (m.Kind, m.InvitedBy, m.From)));
        Assert.Equal(["de", "en", "ja"], mailbox.Select(m => m.Language).Order());
        Assert.Equal(0, _portal.Tenant.Tenant.Stats.Requests("POST /users/{id}/sendMail"));
    }

    [Fact]
    public async Task SendAsTheApplication_RestrictedTenant_RefusedNamingTheSettingAndNothingQueued()
    {
        using var admin = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var id = await UploadForReviewAsync();

        var message = await BatchPage.SendAsync(admin, id, sendAs: "app");

        Assert.Contains("allowInvitesFrom = adminsAndGuestInviters", message, StringComparison.Ordinal);
        Assert.All(await RowsAsync(id), r => Assert.Equal(InvitationStatus.Held, r.Status));
        Assert.Equal(0, _portal.Tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    private async Task<string> UploadForReviewAsync(string email = "microsoft", bool withGroupAndApp = false)
    {
        using var automation = await _portal.CreateAutomationClientAsync();
        var group = SimulatedTenantDefaults.Groups[0].Id;
        var app = SimulatedTenantDefaults.Applications[0].AppId; // Partner Extranet, also the invitation's branding
        var csv = withGroupAndApp
            ? "Email,DisplayName,InviteContactUsUrl,Language,InviteAppID,InviteAppResources,InviteGroupResources\r\n" + string.Concat(new[] { "de", "ja", "en" }
                .Select(l => $"{l}.{Guid.NewGuid():N}@partner.example,Guest {l},https://contoso.example/contact,{l},{app},{app},{group}\r\n"))
            : "Email,DisplayName,InviteContactUsUrl,Language\r\n" + string.Concat(new[] { "de", "ja", "en" }
                .Select(l => $"{l}.{Guid.NewGuid():N}@partner.example,Guest {l},https://contoso.example/contact,{l}\r\n"));
        var upload = await automation.PostAsync($"/api/v1/batches?submit=false&email={email}", BatchesFormOf(csv));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        return (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static MultipartFormDataContent BatchesFormOf(string csv) => Api.BatchesApiTests.FileForm(CsvBytes.Utf8(csv));

    private static async Task SendOnThePageAsync(HttpClient admin, string id) =>
        Assert.Equal("3 invitations queued for sending.", await BatchPage.SendAsync(admin, id));

    private Task<List<Invitation>> WaitForAsync(string id, Func<List<Invitation>, bool> holds, string what) =>
        Eventually.Until(
            () => RowsAsync(id),
            holds,
            what,
            Patience,
            rows => Task.FromResult(string.Join(", ", rows.Select(r => $"{r.Status} {r.LastError}"))));

    private async Task<List<Invitation>> RowsAsync(string id)
    {
        await using var db = await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Invitations.AsNoTracking().Where(i => i.BatchId == Guid.Parse(id)).OrderBy(i => i.RowNumber).ToListAsync();
    }

    private async Task<string?> PausedReasonAsync(string id)
    {
        await using var db = await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Batches.Where(b => b.Id == Guid.Parse(id)).Select(b => b.PausedReason).SingleAsync();
    }

    /// <summary>Web and worker in one portal; tokens that live two minutes, so every acquisition asks Entra (and sees a revocation).</summary>
    private sealed class AdminSendingPortal : PortalFactory
    {
        public AdminSendingPortal()
        {
            With("Delivery:IdleDelay", "00:00:00.100");
            With("Delivery:BackoffBase", "00:00:00.050");
            With("Delivery:BackoffMax", "00:00:00.500");
        }

        protected override string Roles => "web,worker";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await DeliveryHarness.SetGuestInvitePolicyAsync(Tenant, "adminsAndGuestInviters");
        }

        protected override void ConfigureTenant(SimulatorOptions options) => options.AccessTokenLifetime = TimeSpan.FromMinutes(2);
    }
}
