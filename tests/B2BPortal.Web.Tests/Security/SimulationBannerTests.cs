using AngleSharp.Html.Parser;

namespace B2BPortal.Web.Tests.Security;

/// <summary>A portal configured for a real tenant (it is never contacted here: only the public 403 page is asked for).</summary>
public sealed class RealTenantPortalFactory : PortalFactory
{
    public RealTenantPortalFactory()
    {
        With("AzureAd:TenantId", "4d3c2b1a-0f9e-4d8c-b7a6-95847362514a");
        With("AzureAd:ClientId", "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d");
        With("AzureAd:ClientSecret", "not-a-real-secret");
        With("AzureAd:Instance", "https://login.invalid/");
        With("Simulation:TenantUrl", "");
    }
}

/// <summary>
/// Issue 11: every page says when the portal runs against a simulated tenant (anyone reaching it may sign in as Global
/// Administrator, and nobody real is invited), and no page says so against a real tenant.
/// </summary>
public sealed class SimulationBannerTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Batches")]
    [InlineData("/Batches/Upload")]
    [InlineData("/Invitations/New")]
    [InlineData("/Audit")]
    [InlineData("/Help")]
    public async Task Page_AgainstTheSimulatedTenant_ShowsTheBanner(string path)
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertBanner(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeniedPage_AgainstTheSimulatedTenant_ShowsTheBanner()
    {
        using var client = portal.CreatePortalClient();

        var response = await client.GetAsync("/Account/Denied");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        AssertBanner(await response.Content.ReadAsStringAsync());
    }

    internal static void AssertBanner(string html)
    {
        var banner = new HtmlParser().ParseDocument(html).QuerySelector("header #simulated-tenant");
        Assert.NotNull(banner);
        Assert.Contains("Simulated tenant", banner.TextContent, StringComparison.Ordinal);
    }
}

public sealed class RealTenantBannerTests(RealTenantPortalFactory portal) : IClassFixture<RealTenantPortalFactory>
{
    [Fact]
    public async Task DeniedPage_AgainstARealTenant_HasNoBanner()
    {
        using var client = portal.CreatePortalClient();

        var response = await client.GetAsync("/Account/Denied");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<header>", html, StringComparison.Ordinal);
        Assert.Null(new HtmlParser().ParseDocument(html).QuerySelector("#simulated-tenant"));
    }
}
