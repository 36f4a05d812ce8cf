using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>The dashboard, one guest at a time, the audit log, help, and the pages at phone width with a keyboard.</summary>
public sealed class PagesBrowserTests(BrowserFixture browser) : BrowserTests
{
    [Fact]
    public async Task Dashboard_ShowsTheDatabasesTotalsAndTheBatchWithFailures()
    {
        var history = await SeedHistoryAsync();
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "dashboard.csv", BrowserFixture.Csv(
            BrowserFixture.Unique("dash1"), BrowserFixture.Unique("dash2"), BrowserFixture.Unique("dash3", "blocked.example")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 3 invitations" }).ClickAsync();
        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("All 3 invitations processed.", new() { Timeout = 30_000 });
        await browser.WaitForIdleQueueAsync();

        var totals = await browser.QueryAsync(async db => (await db.Invitations.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            .ToDictionary(g => g.Key, g => g.Count));
        int Of(InvitationStatus s) => totals.GetValueOrDefault(s);
        await page.GotoAsync("/");

        await Expect(page.Locator("[data-total=invited]")).ToHaveTextAsync(Of(InvitationStatus.Invited).ToString("N0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-total=accepted]")).ToHaveTextAsync(Of(InvitationStatus.Accepted).ToString("N0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-total=failed]")).ToHaveTextAsync(Of(InvitationStatus.Failed).ToString("N0", CultureInfo.InvariantCulture));
        Assert.True(Of(InvitationStatus.Invited) >= 2 && Of(InvitationStatus.Failed) >= 1);
        var rate = 100.0 * Of(InvitationStatus.Accepted) / (Of(InvitationStatus.Accepted) + Of(InvitationStatus.Invited));
        await Expect(page.Locator("[data-total=rate]")).ToHaveTextAsync(rate.ToString("0.#", CultureInfo.CurrentCulture) + " %");
        await Expect(page.Locator("#attention-list li", new() { HasText = "dashboard.csv" }).First).ToContainTextAsync("1 invitation failed");
        var since = DateTime.UtcNow.Date.AddDays(-29);
        var sent = await browser.QueryAsync(db => db.Invitations.CountAsync(i => i.InvitedAt >= since));
        var accepted = await browser.QueryAsync(db => db.Invitations.CountAsync(i => i.AcceptedAt >= since));
        await Expect(page.Locator("#daily-chart > title")).ToHaveTextAsync(
            $"Invitations sent and accepted per day: {sent:N0} sent and {accepted:N0} accepted in the last 30 days.");
        await Expect(page.Locator("#attention-list li", new() { HasText = "partners-history.csv" }).First).ToContainTextAsync("not accepted after 14 days");
        await Expect(page.Locator("[data-pacing=mode]")).ToHaveTextAsync("normal");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        // The history batch's page: a status mix with failures explained.
        await page.GotoAsync($"/Batches/Details/{history}");
        await Expect(page.Locator("[data-count=Failed]")).ToHaveTextAsync("12");
        await Expect(page.Locator("#rows tbody tr", new() { HasText = "Failed" }).First.Locator("[data-field=reason]")).ToContainTextAsync("cross-tenant access");
        await page.GetByText("Row 2 details").ClickAsync();
        await Expect(page.Locator("#rows tbody tr").First.Locator("[data-field=lastError]")).ToHaveTextAsync("This invitation is blocked by cross-tenant access settings.");
        await page.SetViewportSizeAsync(1280, 1250).Within(PageCalls.Limit, $"{page.Url} did not resize to 1280 × 1250");
        await BrowserFixture.ScreenshotAsync(page, "history-batch", fullPage: false);
        await page.CloseContextAsync();
    }

    /// <summary>
    /// A month of history the portal could not have produced within a test (invitations sent and accepted on earlier
    /// days), stored the way an import stores rows; returns the batch id.
    /// </summary>
    private async Task<Guid> SeedHistoryAsync()
    {
        var now = DateTime.UtcNow;
        var batch = new Batch
        {
            Id = Guid.CreateVersion7(),
            FileName = "partners-history.csv",
            Sha256 = new string('0', 64),
            UploadedBy = SimulatedTenantDefaults.GlobalAdminUpn,
            UploadedAt = now.AddDays(-29),
            SubmittedBy = SimulatedTenantDefaults.GlobalAdminUpn,
            SubmittedAt = now.AddDays(-29),
            Status = BatchStatus.Submitted,
            Format = BatchFormat.Legacy,
            TotalRows = 240,
            ValidRows = 240,
        };
        var rows = Enumerable.Range(0, 240).Select(i =>
        {
            var invited = now.AddDays(-29 + (i % 27)).AddMinutes(-i);
            var status = i % 20 == 0 ? InvitationStatus.Failed : i % 3 == 0 ? InvitationStatus.Invited : InvitationStatus.Accepted;
            var email = $"history{i}.{batch.Id:N}"[..20] + "@fabrikam.example";
            return new Invitation
            {
                BatchId = batch.Id,
                RowNumber = i + 2,
                Email = email,
                NormalizedEmail = email,
                DisplayName = $"History Guest {i}",
                Status = status,
                Attempts = 1,
                LastError = status == InvitationStatus.Failed ? "This invitation is blocked by cross-tenant access settings." : null,
                GraphUserId = status == InvitationStatus.Failed ? null : Guid.NewGuid().ToString(),
                CreatedAt = batch.UploadedAt,
                UpdatedAt = invited,
                QueuedAt = batch.UploadedAt,
                InvitedAt = status == InvitationStatus.Failed ? null : invited,
                AcceptedAt = status == InvitationStatus.Accepted ? (invited.AddDays(i % 4) < now ? invited.AddDays(i % 4) : now) : null,
            };
        }).ToList();
        await browser.QueryAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Batches.Add(batch);
            await db.SaveChangesAsync();
            await InvitationBulkWriter.InsertAsync(db, rows, CancellationToken.None);
            await tx.CommitAsync();
            return 0;
        });
        return batch.Id;
    }

    [Fact]
    public async Task SingleInvitation_IsSentAtOnceAndShownAsAOneRowBatch()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var email = BrowserFixture.Unique("single");
        await page.GetByRole(AriaRole.Link, new() { Name = "Single invitation" }).ClickAsync();
        await Expect(page.Locator("#single-note")).ToContainTextAsync("sent as soon as you press Send");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Display name").FillAsync("Sam Single");
        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation now" }).ClickAsync();

        await page.WaitForURLAsync("**/Batches/Details/**");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Single invitation");
        await Expect(page.Locator("#rows tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rows tbody tr")).ToContainTextAsync(email);
        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("The invitation was processed.", new() { Timeout = 30_000 });
        await Expect(page.Locator("#rows [data-field=status]")).ToHaveTextAsync("Invited");
        await BrowserFixture.ScreenshotAsync(page, "single");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task AuditLog_FilteredByActionAndDay_ShowsWhoUploadedWhat()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var fileName = $"audit-{Guid.NewGuid():N}.csv"[..14] + ".csv";
        await BrowserFixture.UploadAsync(page, fileName, BrowserFixture.Csv(BrowserFixture.Unique("audit")));
        await page.GetByRole(AriaRole.Link, new() { Name = "Discard…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard batch" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Batch discarded; nothing was sent.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByLabel("Who").FillAsync("admin@");
        await page.GetByLabel("Action").SelectOptionAsync("Uploaded");
        await page.GetByLabel("From", new() { Exact = true }).FillAsync(today);
        await page.GetByLabel("To", new() { Exact = true }).FillAsync(today);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var entry = page.Locator("#audit tbody tr", new() { HasText = fileName });
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToContainTextAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await Expect(entry).ToContainTextAsync("1 row, 1 valid, 0 invalid");
        Assert.All(await page.Locator("#audit tbody tr td:nth-child(3)").AllTextContentsAsync().Within(PageCalls.Limit, $"{page.Url} did not give the audit actions"), action => Assert.Equal("Uploaded", action));
        await BrowserFixture.ScreenshotAsync(page, "audit");

        await page.GetByLabel("Action").SelectOptionAsync("Discarded");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#audit tbody tr", new() { HasText = fileName })).ToHaveCountAsync(0);
        var discarded = await page.Locator("#audit tbody tr td:nth-child(3)").AllTextContentsAsync().Within(PageCalls.Limit, $"{page.Url} did not give the audit actions");
        Assert.NotEmpty(discarded);
        Assert.All(discarded, action => Assert.Equal("Discarded", action));

        await page.GetByLabel("From", new() { Exact = true }).FillAsync("2000-01-01");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("2000-01-02");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#audit-empty")).ToHaveTextAsync("No entries match these filters.");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Help_OffersBothTemplatesAndNamesTheLimits()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await page.GetByRole(AriaRole.Link, new() { Name = "Help" }).ClickAsync();
        await Expect(page.Locator("#limits + ul")).ToContainTextAsync("At most 50,000 rows and 32 MB per file");
        await Expect(page.Locator("#languages ~ ul li")).ToHaveCountAsync(11);

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download the Entra bulk invite template" }).ClickAsync());
        Assert.Equal("entra-bulk-invite-template.csv", download.SuggestedFilename);
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("version:v1.0", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        var legacy = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download the 2016 Azure AD B2B template" }).ClickAsync());
        Assert.StartsWith("Email,DisplayName", (await File.ReadAllTextAsync((await legacy.PathAsync())!)).TrimStart('\uFEFF'), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "help");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task HelpEmailPreview_GermanAndJapanese_OpenFromTheHelpPageInTheirLanguage()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, width: 760, height: 900);
        await page.GotoAsync("/Help");
        await Expect(page.Locator("#email-previews li")).ToHaveCountAsync(11);

        await page.Locator("#email-previews a[hreflang=de]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Einladung annehmen" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Fragen? Kontaktieren Sie uns" })).ToHaveAttributeAsync("href", "https://contoso.example/contact");
        await BrowserFixture.ScreenshotAsync(page, "email-preview-de");

        await page.GotoAsync("/Help");
        await page.Locator("#email-previews a[hreflang=ja]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "招待を承諾する" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "email-preview-ja");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task PhoneWidth_MenuAndKeyboardWork_AndNothingScrollsSideways()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, width: 390, height: 844);
        var email = BrowserFixture.Unique("phone");
        await BrowserFixture.UploadAsync(page, "phone.csv", BrowserFixture.Csv(email, "not-an-address", BrowserFixture.Unique("other")));
        Assert.True(await page.EvaluateBoundedAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The batch page scrolls sideways at 390 px.");

        // Keyboard only: the first Tab reaches "Skip to content"; the search box filters with Enter.
        await page.PressBoundedAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to content");
        await page.GetByLabel("Status").SelectOptionAsync("");
        await page.GetByLabel("Email or name").FocusAsync();
        await page.TypeBoundedAsync(email.Split('@')[0]);
        await page.PressBoundedAsync("Enter");
        await page.WaitForURLAsync("**search=**");
        await Expect(page.Locator("#rows tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rows tbody tr")).ToContainTextAsync(email);

        // The collapsed menu opens from its toggle with the keyboard.
        var audit = page.GetByRole(AriaRole.Link, new() { Name = "Audit log" });
        await Expect(audit).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).FocusAsync();
        await page.PressBoundedAsync("Enter");
        await Expect(audit).ToBeVisibleAsync();
        await Expect(page.Locator("#nav")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bshow\b"));
        await BrowserFixture.ScreenshotAsync(page, "phone");

        await page.GotoAsync("/");
        Assert.True(await page.EvaluateBoundedAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The dashboard scrolls sideways at 390 px.");
        await page.CloseContextAsync();
    }
}
