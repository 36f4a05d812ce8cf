using System.Net;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>An application's name and logo, readable as Graph serves them (info.logoUrl on the application and its service principal).</summary>
public sealed class BrandingTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    private const string ExtranetAppId = "c5a1e0b2-2001-4a00-a000-000000000001";
    private const string SupplierPortalAppId = "c5a1e0b2-2002-4a00-a000-000000000002";

    [Fact]
    public async Task ServicePrincipalAndApplication_ByAppId_GiveDisplayNameAndLogoUrl()
    {
        var graph = await tenant.GraphAsync();

        var sp = Assert.Single((await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{ExtranetAppId}'"))!.Value!);
        var app = Assert.Single((await graph.Applications.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{ExtranetAppId}'"))!.Value!);

        Assert.Equal(("Partner Extranet", "Partner Extranet"), (sp.DisplayName, app.DisplayName));
        Assert.StartsWith("https://", sp.Info!.LogoUrl, StringComparison.Ordinal);
        Assert.Equal(sp.Info.LogoUrl, app.Info!.LogoUrl);
        Assert.NotEqual(sp.Id, app.Id);
        Assert.Equal(ExtranetAppId, (await graph.Applications[app.Id].GetAsync())!.AppId);
    }

    [Fact]
    public async Task Application_WithoutLogo_HasInfoWithNullLogoUrl()
    {
        var graph = await tenant.GraphAsync();

        var app = Assert.Single((await graph.Applications.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"appId eq '{SupplierPortalAppId}'";
            r.QueryParameters.Select = ["displayName", "info"];
        }))!.Value!);

        Assert.Equal("Supplier Portal", app.DisplayName);
        Assert.NotNull(app.Info);
        Assert.Null(app.Info.LogoUrl);
    }

    [Fact]
    public async Task Applications_DelegatedWithoutApplicationReadAll_Is403()
    {
        var token = await tenant.UserTokenAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        using var response = await tenant.SendGraphAsync(HttpMethod.Get, $"/applications?$filter=appId eq '{ExtranetAppId}'", token: token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
