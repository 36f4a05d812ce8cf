using Microsoft.Playwright;

namespace B2BPortal.Web.Tests.Browser;

public sealed class SignInBrowserTests(BrowserFixture browser) : BrowserTests
{
    [Fact]
    public async Task EmployeeWithoutRole_SeesForbiddenPageNamingTheRole()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You don't have access to B2B Portal");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Global Administrator");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(SimulatedTenantDefaults.NoRoleUpn);
        await BrowserFixture.ScreenshotAsync(page, "forbidden");
        await page.CloseContextAsync();
    }
}
