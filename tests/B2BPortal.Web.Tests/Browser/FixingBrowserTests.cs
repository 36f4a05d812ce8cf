using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>When things go wrong: failures explained and re-sent, a batch cancelled, an abuse block resumed.</summary>
public sealed class FixingBrowserTests(BrowserFixture browser) : BrowserTests
{
    [Fact]
    public async Task ResendFailed_AfterGraphErrors_ExplainsEachFailureAndInvitesOnceGraphIsBack()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var flaky = BrowserFixture.Unique("flaky");
        var blocked = BrowserFixture.Unique("blocked", "blocked.example");
        await BrowserFixture.UploadAsync(page, "failing.csv", BrowserFixture.Csv(flaky, blocked));
        try
        {
            // Every Graph request answers 503 until the portal gives up (MaxAttempts = 2 here).
            await browser.SetFaultsAsync(new { serverErrorRate = 1.0 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Send 2 invitations" }).ClickAsync();
            await Expect(page.Locator("[data-count=Failed]")).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        }
        finally
        {
            await browser.SetFaultsAsync(new { serverErrorRate = 0.0 });
        }

        var flakyRow = page.Locator("#rows tbody tr", new() { HasText = flaky });
        await Expect(flakyRow.Locator("[data-field=reason]")).ToContainTextAsync("did not answer successfully");
        await Expect(flakyRow.Locator("[data-field=action]")).ToContainTextAsync("re-send the failed rows");
        await BrowserFixture.ScreenshotAsync(page, "failed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Re-send 2 failed" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 failed invitations queued again.");
        await Expect(flakyRow.Locator("[data-field=status]")).ToHaveTextAsync("Invited", new() { Timeout = 30_000 });

        // The blocked domain fails for good, now with Graph's reason and what to do about it.
        var blockedRow = page.Locator("#rows tbody tr", new() { HasText = blocked });
        await Expect(blockedRow.Locator("[data-field=status]")).ToHaveTextAsync("Failed");
        await Expect(blockedRow.Locator("[data-field=reason]")).ToContainTextAsync("cross-tenant access");
        await Expect(page.Locator("[data-count=Failed]")).ToHaveTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "resent");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Cancel_AfterConfirming_QueuedRowsBecomeCancelledAndSentOnesStay()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var emails = Enumerable.Range(1, 40).Select(i => BrowserFixture.Unique($"cancel{i}")).ToArray();
        await BrowserFixture.UploadAsync(page, "cancel.csv", BrowserFixture.Csv(emails));
        try
        {
            // Slow Graph, two workers and a slow pace keep most rows queued long enough to cancel them.
            await browser.SetFaultsAsync(new { latencyMs = 1500 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Send 40 invitations" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "queued…" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "queued invitations?" })).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, "cancel-confirm");
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel queued invitations" }).ClickAsync();
        }
        finally
        {
            await browser.SetFaultsAsync(new { latencyMs = 0 });
        }

        var message = await page.GetByRole(AriaRole.Status).TextContentAsync();
        var cancelled = int.Parse(message!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(cancelled, 20, 40);
        Assert.EndsWith("cancelled. Invitations already sent stay sent.", message.Trim(), StringComparison.Ordinal);
        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("All 40 invitations processed.", new() { Timeout = 30_000 });
        // Cancel wins over rows in flight: one handed back by its worker after the click (pacing, a transient error) is
        // Cancelled too, so at least the clicked number are Cancelled and every other row was really invited.
        var finalCancelled = int.Parse((await page.Locator("[data-count=Cancelled]").TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(finalCancelled, cancelled, 40);
        await Expect(page.Locator("[data-count=Invited]")).ToHaveTextAsync((40 - finalCancelled).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-count=Failed]")).ToHaveTextAsync("0");
        Assert.Equal(40 - finalCancelled, browser.Portal.Tenant.Tenant.Mailbox().Count(m => emails.Contains(m.To)));
        await Expect(page.Locator("[data-action=Queued]")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "cancelled");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task AbuseBlock_DashboardShowsPausedBatchAndResumeSendsIt()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var email = BrowserFixture.Unique("paused");
        await BrowserFixture.UploadAsync(page, "paused.csv", BrowserFixture.Csv(email));
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

        var batchUrl = page.Url;
        await page.GotoAsync("/");
        await Expect(page.Locator("[data-pacing=mode]")).ToHaveTextAsync("paused");
        await Expect(page.Locator("#attention-list li", new() { HasText = "paused.csv" }).First).ToContainTextAsync("paused by Microsoft's abuse block");
        await BrowserFixture.ScreenshotAsync(page, "paused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume sending" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sending resumed. Rows that waited during the pause go out now.");
        await Expect(page.Locator("[data-pacing=mode]")).ToHaveTextAsync("normal");

        await page.GotoAsync(batchUrl);
        await Expect(page.Locator("#rows [data-field=status]")).ToHaveTextAsync("Invited", new() { Timeout = 30_000 });
        await page.CloseContextAsync();
    }
}
