using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// A second portal with its own empty database and tenant (no workers), for the states the shared portal never
/// shows again once any test has uploaded: the first visit, before any batch exists.
/// </summary>
public sealed class EmptyPortalFixture : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Portal.InitializeAsync();
        BaseUrl = Portal.StartOnLoopback();

        // The simulated tenant's start-up puts its groups and apps on the assignable list, audited; a real tenant's
        // first visit has no audit entry at all, and that empty state is what this portal shows.
        await using var db = Portal.CreateDbContext();
        await db.AuditEntries.ExecuteDeleteAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Portal).DisposeAsync();
}

/// <summary>The empty states of the portal (issue 16): axe finds no WCAG 2.1 A/AA violation on them either.</summary>
public sealed class EmptyPortalAccessibilityBrowserTests(BrowserFixture browser, EmptyPortalFixture empty) : BrowserTests, IClassFixture<EmptyPortalFixture>
{
    [Fact]
    public async Task Dashboard_Empty_HasNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, portal: empty.BaseUrl);
        await Expect(page.Locator("[data-total=rate]")).ToHaveTextAsync("–");
        await Expect(page.GetByText("Nothing needs attention")).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "dashboard, empty");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task BatchesList_AndAuditLog_Empty_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, portal: empty.BaseUrl);
        await page.GotoAsync("/Batches");
        await Expect(page.GetByText("No batches yet.")).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "batches list, empty");
        await page.GotoAsync("/Audit");
        await Expect(page.Locator("#audit-empty")).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "audit log, empty");
        await page.CloseContextAsync();
    }

    [Fact]
    public async Task Guests_AndCleanup_Empty_HaveNoAxeViolations()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn, portal: empty.BaseUrl);
        await page.GotoAsync("/Guests");
        await Expect(page.Locator("#guests-empty")).ToBeVisibleAsync();
        await Axe.AssertNoViolationsAsync(page, "guests, empty");
        await page.GotoAsync("/Guests/Cleanup");
        await Expect(page.Locator("#plan-empty")).ToHaveTextAsync("Every rule is off: nothing would happen.");
        await Axe.AssertNoViolationsAsync(page, "guest clean-up, rules off");
        await page.CloseContextAsync();
    }
}
