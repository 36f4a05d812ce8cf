using B2BPortal.Web.Delivery;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// WCAG 2.1 AA on every page and in every state that matters (issue 16): axe-core finds no A/AA violation, the live
/// progress is announced politely without moving focus, motion respects the reader's setting, and the pages reflow
/// at phone width and at 200 % zoom.
/// </summary>
public sealed class AccessibilityBrowserTests(BrowserFixture browser) : BrowserTests
{
    /// <summary>The CSS viewport of a 1280 × 900 window zoomed to 200 %.</summary>
    private const int ZoomedWidth = 640, ZoomedHeight = 450;

    [Fact]
    public async Task Dashboard_WithBatchesNeedingAttention_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "attention.csv", BrowserFixture.Csv(BrowserFixture.Unique("attention"), "not-an-address"));
        await page.GotoAsync("/");
        await Expect(page.Locator("#attention-list li", new() { HasText = "attention.csv" }).First).ToContainTextAsync("waiting for review");
        await Axe.AssertNoViolationsAsync(page, "dashboard");

        // The chart's text alternative: the figures per day, opened.
        await page.Locator("summary", new() { HasText = "Figures per day" }).ClickAsync();
        await Axe.AssertNoViolationsAsync(page, "dashboard, figures per day open");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Dashboard_ChartHasTheFiguresTableAsItsTextAlternative()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var chart = page.Locator("#daily-chart");
        await Expect(chart).ToHaveAttributeAsync("role", "img");
        var table = page.Locator("#daily-figures");
        await Expect(chart).ToHaveAttributeAsync("aria-describedby", "daily-chart-table-note");
        await Expect(page.Locator("#daily-chart-table-note")).ToHaveTextAsync("The figures per day are in the table under “Figures per day” below the chart.");
        await Expect(table.Locator("caption")).ToHaveTextAsync("Invitations sent and accepted per day (UTC)");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Navigation_CurrentPage_IsMarkedByMoreThanColour()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await page.GotoAsync("/Audit");
        const string Marks = "e => { const s = getComputedStyle(e); return s.textDecorationLine + ' ' + s.fontWeight; }";
        var current = page.GetByRole(AriaRole.Link, new() { Name = "Audit log" });
        await Expect(current).ToHaveAttributeAsync("aria-current", "page");
        Assert.Equal("underline 600", await current.EvaluateBoundedAsync<string>(Marks));
        Assert.Equal("none 400", await page.GetByRole(AriaRole.Link, new() { Name = "Help" }).EvaluateBoundedAsync<string>(Marks));
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task BatchesList_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "listed.csv", BrowserFixture.Csv(BrowserFixture.Unique("listed")));
        await page.GotoAsync("/Batches");
        await Expect(page.Locator("table tbody tr", new() { HasText = "listed.csv" }).First).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "batches list");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Upload_AndARejectedFile_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await page.GotoAsync("/Batches/Upload");
        await Axe.AssertNoViolationsAsync(page, "upload");

        await page.GetByLabel("CSV file with your partners").SetInputFilesAsync(new FilePayload { Name = "empty.csv", MimeType = "text/csv", Buffer = [] });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();
        await Expect(page.Locator("#rejection")).ToContainTextAsync("is empty");
        await Axe.AssertNoViolationsAsync(page, "upload, file rejected");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task BatchInReview_WithInvalidRows_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var csv = "Email,DisplayName,InviteContactUsUrl\r\n"
            + $"{BrowserFixture.Unique("review")},Good Guest,https://contoso.example/contact\r\n"
            + "bad@@partner.example,Bad Address,https://contoso.example/contact\r\n"
            + $"{BrowserFixture.Unique("noname")},,https://contoso.example/contact\r\n";
        await BrowserFixture.UploadAsync(page, "review.csv", csv);
        await Expect(page.Locator("#review-summary")).ToContainTextAsync("2 have problems");
        await Axe.AssertNoViolationsAsync(page, "batch in review with invalid rows");

        await page.GetByText("Row 3 details").ClickAsync();
        await Axe.AssertNoViolationsAsync(page, "batch in review, row details open");

        await page.GetByLabel("Email or name").FillAsync("nobody-matches-this");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#rows tbody tr")).ToHaveCountAsync(0);
        await Axe.AssertNoViolationsAsync(page, "batch in review, no row matches the filter");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task DiscardConfirmation_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "discard.csv", BrowserFixture.Csv(BrowserFixture.Unique("discard")));
        await page.GetByRole(AriaRole.Link, new() { Name = "Discard…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Discard this batch?" })).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "discard confirmation");

        await page.GetByRole(AriaRole.Button, new() { Name = "Discard batch" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Batch discarded; nothing was sent.");
        await Axe.AssertNoViolationsAsync(page, "batch discarded");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task SingleInvitation_AndItsValidationErrors_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await page.GotoAsync("/Invitations/New");
        await Axe.AssertNoViolationsAsync(page, "single invitation");

        // The server's checks, past the browser's own (which would stop an empty name before it is sent).
        await page.GetByLabel("Email address").FillAsync(BrowserFixture.Unique("single-a11y"));
        await page.GetByLabel("Contact-us URL (optional)").FillAsync("ftp://contoso.example/contact");
        await page.Locator("form.card").EvaluateBoundedAsync("f => { f.noValidate = true; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation now" }).ClickAsync();
        await Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "single invitation, not sent with errors");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task AuditLog_WithEntriesAndWhenNothingMatches_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "audited.csv", BrowserFixture.Csv(BrowserFixture.Unique("audited")));
        await page.GotoAsync("/Audit");
        await Expect(page.Locator("#audit tbody tr").First).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "audit log");

        await page.GotoAsync("/Audit?from=2000-01-01&to=2000-01-02");
        await Expect(page.Locator("#audit-empty")).ToHaveTextAsync("No entries match these filters.");
        await Axe.AssertNoViolationsAsync(page, "audit log, nothing matches");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task AccessRequests_FormErrorsMyRequestsAndQueue_HaveNoAxeViolations()
    {
        var employee = await browser.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
        await Axe.AssertNoViolationsAsync(employee, "403 page pointing to access requests");
        await employee.GotoAsync("/Requests");
        await Axe.AssertNoViolationsAsync(employee, "my access requests");
        await employee.GotoAsync("/Requests/New");
        await Axe.AssertNoViolationsAsync(employee, "access request form");

        // The server's checks, past the browser's own: an address that is not one, and no justification.
        await employee.GetByLabel("Partner's email address").FillAsync("not-an-address");
        await employee.Locator("#request-form").EvaluateBoundedAsync("f => { f.noValidate = true; }");
        await employee.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(employee.Locator("#errors")).ToBeFocusedAsync();
        await Axe.AssertNoViolationsAsync(employee, "access request form, not sent with errors");

        await AccessRequestBrowserTests.RequestAsync(employee, BrowserFixture.Unique("a11y-request", "fabrikam.example"), "Ally Request", SimulatedTenantDefaults.Groups[0].DisplayName);
        await Expect(employee.Locator("#outcome")).ToBeFocusedAsync();
        await Axe.AssertNoViolationsAsync(employee, "my access requests, one waiting");
        await employee.CloseContextAsync();

        var approver = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await approver.GotoAsync("/Requests/Queue");
        await Expect(approver.Locator("article").First).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(approver, "access requests queue");
        var card = approver.Locator("article").First;
        await card.GetByLabel("Reason for rejecting").FillAsync("Accessibility check.");
        await card.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(approver.Locator("#outcome")).ToBeFocusedAsync();
        await Axe.AssertNoViolationsAsync(approver, "access requests queue, after a decision");
        await approver.CloseContextAsync();
    }

    [Fact]
    public async Task Help_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await page.GotoAsync("/Help");
        await Axe.AssertNoViolationsAsync(page, "help");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task AssignableSettings_ListChoicesAndProblem_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Assignable groups and applications");
        await Axe.AssertNoViolationsAsync(page, "assignable settings");

        await page.GetByLabel("Object ID, application (client) ID or name").FillAsync("Partners");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.Locator("#choices-heading")).ToBeFocusedAsync();
        await Axe.AssertNoViolationsAsync(page, "assignable settings, choices");

        await page.GetByLabel("Object ID, application (client) ID or name").FillAsync(Guid.NewGuid().ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.Locator("#problem")).ToBeFocusedAsync();
        await Axe.AssertNoViolationsAsync(page, "assignable settings, problem");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task GuestsAndCleanup_DryRunRunAndRestore_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var email = BrowserFixture.Unique("a11yguest");
        await BrowserFixture.UploadAsync(page, "a11y-guests.csv", BrowserFixture.Csv(email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 1 invitation" }).ClickAsync();
        var id = await Eventually.Until(
            () => browser.QueryAsync(db => db.Invitations.Where(i => i.Email == email && i.Status == InvitationStatus.Invited).Select(i => (long?)i.Id).SingleOrDefaultAsync()),
            found => found is not null,
            $"{email} is Invited",
            TimeSpan.FromSeconds(30));

        // Sent 60 days ago and never accepted: past Portal:Cleanup:RemoveUnacceptedAfterDays (30).
        await browser.QueryAsync(db => db.Invitations.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.InvitedAt, DateTime.UtcNow.AddDays(-60))));

        await page.GetByRole(AriaRole.Link, new() { Name = "Guests", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Guests");
        await Axe.AssertNoViolationsAsync(page, "guests");

        await page.GotoAsync("/Guests/Cleanup");
        await Expect(page.Locator($"#plan tr[data-invitation-id='{id}']")).ToContainTextAsync("Not accepted 60 days after the invitation");
        await Axe.AssertNoViolationsAsync(page, "guest clean-up, dry run");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run clean-up now" }).ClickAsync();
        await Expect(page.Locator("#outcome")).ToBeFocusedAsync();
        await Expect(page.Locator("#outcome")).ToContainTextAsync("removed");
        await Axe.AssertNoViolationsAsync(page, "guest clean-up, after a run");

        await page.GotoAsync("/Guests");
        await page.Locator($"#guests tr[data-invitation-id='{id}']").GetByRole(AriaRole.Button, new() { Name = $"Restore {email}" }).ClickAsync();
        await Expect(page.Locator("#outcome")).ToBeFocusedAsync();
        await Expect(page.Locator("#outcome")).ToHaveTextAsync($"{email} is restored, with the same account, groups and applications.");
        await Axe.AssertNoViolationsAsync(page, "guests, after a restore");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task ForbiddenPage_HasNoAxeViolationsAtDesktopAndPhoneWidth()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You don't have access to B2B Portal");
        await Axe.AssertNoViolationsAsync(page, "403 page");
        await page.SetViewportSizeAsync(390, 844).Within(PageCalls.Limit, $"{page.Url} did not resize to 390 × 844");
        await Axe.AssertNoViolationsAsync(page, "403 page, phone width");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Sending_LiveUpdatesAreAnnouncedPolitelyKeepFocusAndHaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var emails = Enumerable.Range(1, 8).Select(i => BrowserFixture.Unique($"a11ylive{i}")).ToArray();
        await BrowserFixture.UploadAsync(page, "a11y-live.csv", BrowserFixture.Csv(emails));
        try
        {
            // Slow Graph keeps the batch sending long enough to look at it between updates.
            await browser.SetFaultsAsync(new { latencyMs = 800 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Send 8 invitations" }).ClickAsync();
            var progress = page.Locator("#progress-text");
            await Expect(progress).ToHaveAttributeAsync("aria-live", "polite");
            await Expect(progress).ToHaveAttributeAsync("aria-atomic", "true");

            // A keyboard user is in the search box while the counts change under them.
            await page.Locator("#search").FocusAsync();
            await Expect(page.Locator("[data-count=Invited]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-7]$"), new() { Timeout = 30_000 });
            await Expect(progress).ToContainTextAsync("Sending:");
            await KeyboardFocus.AssertFocusedAsync(page, "#search", "a live update must not take focus");
            Assert.Equal(0, await page.Locator("[aria-live=assertive], [role=alert]").CountAsync().Within(PageCalls.Limit, $"{page.Url} did not count its assertive live regions"));
            await Axe.AssertNoViolationsAsync(page, "batch sending, live updates");
        }
        finally
        {
            await browser.SetFaultsAsync(new { latencyMs = 0 });
        }

        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("All 8 invitations processed.", new() { Timeout = 30_000 });
        await KeyboardFocus.AssertFocusedAsync(page, "#search", "a live update must not take focus");
        await Axe.AssertNoViolationsAsync(page, "batch sent");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Failures_AfterGraphErrors_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "a11y-failing.csv", BrowserFixture.Csv(BrowserFixture.Unique("a11yflaky"), BrowserFixture.Unique("a11yblocked", "blocked.example")));
        try
        {
            await browser.SetFaultsAsync(new { serverErrorRate = 1.0 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Send 2 invitations" }).ClickAsync();
            await Expect(page.Locator("[data-count=Failed]")).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        }
        finally
        {
            await browser.SetFaultsAsync(new { serverErrorRate = 0.0 });
        }

        await Expect(page.Locator("#rows [data-field=reason]").First).ToContainTextAsync("did not answer successfully");
        await Axe.AssertNoViolationsAsync(page, "batch with failures");
        await page.GotoAsync(page.Url + "?status=Failed");
        await page.Locator("#rows details").First.Locator("summary").ClickAsync();
        await Axe.AssertNoViolationsAsync(page, "failed rows, details open");
        await page.GotoAsync("/");
        await Expect(page.Locator("#attention-list li", new() { HasText = "a11y-failing.csv" }).First).ToContainTextAsync("2 invitations failed");
        await Axe.AssertNoViolationsAsync(page, "dashboard with failures");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task TenantPausedByAbuseBlock_BatchAndDashboardHaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "a11y-paused.csv", BrowserFixture.Csv(BrowserFixture.Unique("a11ypaused")));
        var batchUrl = page.Url;
        try
        {
            try
            {
                await browser.SetFaultsAsync(new { abuseBlockAfter = 0 });
                await page.GetByRole(AriaRole.Button, new() { Name = "Send 1 invitation" }).ClickAsync();
                await Expect(page.Locator("#pacing-banner")).ToContainTextAsync("Sending is paused", new() { Timeout = 30_000 });
            }
            finally
            {
                await browser.SetFaultsAsync(new Dictionary<string, object?> { ["abuseBlockAfter"] = null });
            }

            await Axe.AssertNoViolationsAsync(page, "batch, tenant paused by an abuse block");
            await page.GotoAsync("/");
            await Expect(page.Locator("[data-pacing=mode]")).ToHaveTextAsync("paused");
            await Axe.AssertNoViolationsAsync(page, "dashboard, tenant paused by an abuse block");
            await page.SetViewportSizeAsync(390, 844).Within(PageCalls.Limit, $"{page.Url} did not resize to 390 × 844");
            await Axe.AssertNoViolationsAsync(page, "dashboard, tenant paused, phone width");
            await page.SetViewportSizeAsync(1280, 900).Within(PageCalls.Limit, $"{page.Url} did not resize to 1280 × 900");

            await page.GetByRole(AriaRole.Button, new() { Name = "Resume sending" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sending resumed. Rows that waited during the pause go out now.");
            await Axe.AssertNoViolationsAsync(page, "dashboard, sending resumed");
        }
        finally
        {
            // A failure above must not leave the whole tenant paused for the browser tests that come after this one.
            await browser.Portal.Services.GetRequiredService<TenantPacer>().ResumeAsync(CancellationToken.None);
        }

        await page.GotoAsync(batchUrl);
        await Expect(page.Locator("#rows [data-field=status]")).ToHaveTextAsync("Invited", new() { Timeout = 30_000 });
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task BatchWaitingForAnAdminToSignInAgain_HasNoAxeViolations()
    {
        var batchId = await SeedBatchWaitingForAdminAsync();
        try
        {
            var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
            await page.GotoAsync($"/Batches/Details/{batchId}");
            await Expect(page.Locator("#batch-paused")).ToContainTextAsync("to sign in to the portal again");
            await Axe.AssertNoViolationsAsync(page, "batch waiting for its admin to sign in again");
            await page.GotoAsync("/");
            await Expect(page.Locator("#attention-list [data-paused=batch]").First).ToBeVisibleAsync();
            await Axe.AssertNoViolationsAsync(page, "dashboard, a batch waiting for its admin");
            await page.CloseContextAsync();
        }
        finally
        {
            // Nothing may stay queued for other tests (WaitForIdleQueueAsync): the seeded rows end Cancelled.
            await browser.QueryAsync(async db =>
            {
                await db.Invitations.Where(i => i.BatchId == batchId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Cancelled));
                return await db.Batches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s.SetProperty(b => b.PausedReason, (string?)null));
            });
        }
    }

    /// <summary>
    /// A batch sent as another admin whose sign-in has expired, as the workers leave it (InvitationQueue.PauseBatchAsync):
    /// rows queued, the batch paused until that admin signs in again. That admin never signs in here.
    /// </summary>
    private async Task<Guid> SeedBatchWaitingForAdminAsync()
    {
        var now = DateTime.UtcNow;
        const string Sender = "other.admin@contoso.example";
        var batch = new Batch
        {
            Id = Guid.CreateVersion7(),
            FileName = "waiting-for-admin.csv",
            Sha256 = new string('1', 64),
            UploadedBy = Sender,
            UploadedAt = now.AddMinutes(-30),
            SubmittedBy = Sender,
            SubmittedAt = now.AddMinutes(-29),
            Status = BatchStatus.Submitted,
            Format = BatchFormat.Legacy,
            TotalRows = 3,
            ValidRows = 3,
            SentAs = Sender,
            SenderObjectId = Guid.NewGuid().ToString(),
            PausedReason = $"Waiting for {Sender} to sign in to the portal again. Their sign-in to the portal has expired.",
        };
        var rows = Enumerable.Range(0, 3).Select(i =>
        {
            var email = BrowserFixture.Unique($"waits{i}");
            return new Invitation
            {
                BatchId = batch.Id,
                RowNumber = i + 2,
                Email = email,
                NormalizedEmail = email,
                DisplayName = $"Waiting Guest {i}",
                Status = InvitationStatus.Queued,
                CreatedAt = batch.UploadedAt,
                UpdatedAt = batch.SubmittedAt.Value,
                QueuedAt = batch.SubmittedAt,
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
    public async Task PhoneWidth_EveryPage_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, width: 390, height: 844);
        await CheckEveryPageAsync(page, "phone width (390 px)");

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "dashboard, phone width, menu open");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Zoom200_EveryPage_HasNoAxeViolationsAndNothingScrollsSideways()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, width: ZoomedWidth, height: ZoomedHeight);
        await CheckEveryPageAsync(page, "200 % zoom (640 px)");
        await page.CloseContextAsync();
    }

    /// <summary>Every page, with a batch in review that has an invalid row: axe finds nothing and nothing scrolls sideways.</summary>
    private static async Task CheckEveryPageAsync(IPage page, string width)
    {
        await BrowserFixture.UploadAsync(page, "narrow.csv", BrowserFixture.Csv(BrowserFixture.Unique("narrow"), "not-an-address"));
        var review = new Uri(page.Url).AbsolutePath;
        foreach (var (name, path) in new[]
        {
            ("dashboard", "/"), ("batches list", "/Batches"), ("upload", "/Batches/Upload"), ("batch in review", review),
            ("single invitation", "/Invitations/New"), ("audit log", "/Audit"), ("help", "/Help"),
            ("assignable settings", "/Settings/Assignable"), ("domain policy", "/Settings/Policy"), ("pre-approved domains", "/Settings/Preapproved"), ("guests", "/Guests"), ("guest clean-up", "/Guests/Cleanup"),
        })
        {
            await page.GotoAsync(path);
            Assert.True(await page.EvaluateBoundedAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"The {name} page scrolls sideways at {width}.");
            await Axe.AssertNoViolationsAsync(page, $"{name}, {width}");
        }
    }

    [Fact]
    public async Task ReducedMotion_ProgressBarDoesNotAnimate()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "motion.csv", BrowserFixture.Csv(BrowserFixture.Unique("motion")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 1 invitation" }).ClickAsync();
        var segment = page.Locator("[data-bar=Invited]");
        const string Duration = "e => getComputedStyle(e).transitionDuration";
        // The sent batch's page with its style sheet loaded: a style read before the sheet arrives is the default ("0s"),
        // which a loaded machine showed (the click returns before the redirect's page has loaded).
        await segment.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.NoPreference }).Within(PageCalls.Limit, $"{page.Url} did not stop emulating reduced motion");
        Assert.NotEqual("0s", await segment.EvaluateBoundedAsync<string>(Duration));
        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce }).Within(PageCalls.Limit, $"{page.Url} did not emulate reduced motion");
        Assert.Equal("0s", await segment.EvaluateBoundedAsync<string>(Duration));
        await page.CloseContextAsync();
    }
}
