using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>Upload → review → Send → watch → the guest accepts: the path an admin walks with a partner list.</summary>
public sealed class BatchBrowserTests(BrowserFixture browser) : BrowserTests
{
    [Fact]
    public async Task Upload_GoodAndBadRows_ReviewListsEveryErrorAndOffersToSendTheGoodOnes()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var good = BrowserFixture.Unique("good");
        var csv = "Email,DisplayName,InviteContactUsUrl\r\n"
            + $"{good},Good Guest,https://contoso.example/contact\r\n"
            + "bad@@partner.example,Bad Address,https://contoso.example/contact\r\n"
            + $"{BrowserFixture.Unique("noname")},,https://contoso.example/contact\r\n";

        await BrowserFixture.UploadAsync(page, "mixed.csv", csv);

        await Expect(page.Locator("#review-summary")).ToHaveTextAsync("1 row is ready to send; 2 have problems and will not be sent.");
        var rows = page.Locator("#rows tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("bad@@partner.example");
        await Expect(rows.Nth(0)).ToContainTextAsync("Row 3, Email:");
        await Expect(rows.Nth(1)).ToContainTextAsync("Row 4, DisplayName:");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send 1 invitation", Exact = true })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "upload-review");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Send_ProgressReachesTheEndLiveWithoutReloading()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var emails = Enumerable.Range(1, 6).Select(i => BrowserFixture.Unique($"live{i}")).ToArray();
        await BrowserFixture.UploadAsync(page, "live.csv", BrowserFixture.Csv(emails));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 6 invitations" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("6 invitations queued for sending.");

        // A marker that a reload would wipe: the counts must change under it.
        await page.EvaluateBoundedAsync("() => { window.__sameDocument = 'yes'; }");
        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("All 6 invitations processed.", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-count=Invited]")).ToHaveTextAsync("6");
        await Expect(page.Locator("[data-count=Queued]")).ToHaveTextAsync("0");
        await Expect(page.Locator("#rows [data-field=status]")).ToHaveTextAsync(Enumerable.Repeat("Invited", 6).ToArray());
        Assert.Equal("yes", await page.EvaluateBoundedAsync<string>("() => window.__sameDocument"));
        await page.Locator("#rows details").First.Locator("summary").ClickAsync();
        await Expect(page.Locator("#rows [data-field=userId]").First).Not.ToHaveTextAsync("–");
        await BrowserFixture.ScreenshotAsync(page, "batch");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task AcceptFromTheSimulatorsMailbox_RowTurnsAcceptedOnTheOpenBatchPage()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var email = BrowserFixture.Unique("accepts");
        await BrowserFixture.UploadAsync(page, "accept.csv", BrowserFixture.Csv(email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 1 invitation" }).ClickAsync();
        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("The invitation was processed.", new() { Timeout = 30_000 });

        // The guest opens the email in the simulated tenant's mailbox and accepts.
        var mailbox = await page.Context.NewPageAsync().Within(PageCalls.Limit, "Chromium did not open a page for the mailbox");
        await mailbox.GotoAsync($"{browser.Portal.Tenant.BaseUrl}/_tenant/mailbox/view");
        await mailbox.Locator("tr", new() { HasText = email }).GetByRole(AriaRole.Link, new() { Name = "Open invitation" }).ClickAsync();
        await mailbox.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        await mailbox.CloseAsync().Within(PageCalls.Limit, $"the mailbox page ({mailbox.Url}) did not close");

        var row = page.Locator("#rows tbody tr", new() { HasText = email });
        await Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("Accepted", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-count=Accepted]")).ToHaveTextAsync("1");
        await Expect(row.Locator("[data-field=acceptedAt]")).Not.ToHaveTextAsync("–");
        await BrowserFixture.ScreenshotAsync(page, "accepted");
        await page.CloseContextAsync();
    }

    /// <summary>
    /// Issue 9: the admin's sessions are revoked (as an Entra admin would after a lost laptop) while their batch waits to
    /// go: it pauses naming them, no row fails, and it finishes by itself once they sign in again in the browser.
    /// </summary>
    [Fact]
    public async Task AdminsSessionsRevoked_BatchPausesNamingThem_AndFinishesAfterTheySignInAgainInTheBrowser()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var emails = new[] { BrowserFixture.Unique("revoked1"), BrowserFixture.Unique("revoked2") };
        await BrowserFixture.UploadAsync(page, "revoked.csv", BrowserFixture.Csv(emails));
        using (var http = new HttpClient())
        {
            (await http.PostAsync($"{browser.Portal.Tenant.BaseUrl}/_tenant/people/{SimulatedTenantDefaults.GlobalAdminUpn}/revoke-sessions", null)).EnsureSuccessStatusCode();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Send 2 invitations" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 invitations queued for sending.");
        var batchUrl = page.Url;
        await Infrastructure.Eventually.Until(
            async () =>
            {
                await page.GotoAsync(batchUrl);
                return await page.Locator("#batch-paused").CountAsync();
            },
            shown => shown == 1,
            "the batch page says the batch waits for its admin",
            TimeSpan.FromSeconds(60));
        await Expect(page.Locator("#batch-paused")).ToContainTextAsync($"Waiting for {SimulatedTenantDefaults.GlobalAdminUpn} to sign in to the portal again.");
        await Expect(page.Locator("[data-count=Failed]")).ToHaveTextAsync("0");
        await page.CloseContextAsync();

        // The admin signs in again, in a new browser session: the batch goes on without anyone pressing anything.
        var again = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await again.GotoAsync(batchUrl);
        await Expect(again.Locator("#progress-text")).ToHaveTextAsync("All 2 invitations processed.", new() { Timeout = 60_000 });
        await Expect(again.Locator("[data-count=Invited]")).ToHaveTextAsync("2");
        await again.ReloadAsync();
        await Expect(again.Locator("#batch-paused")).ToHaveCountAsync(0);
        foreach (var email in emails)
        {
            var received = browser.Portal.Tenant.Tenant.Mailbox().Where(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, Assert.Single(received).InvitedBy);
        }

        await again.CloseContextAsync();
    }
}
