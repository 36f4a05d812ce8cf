using B2BPortal.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace B2BPortal.Web.UnitTests.Hosting;

/// <summary>National clouds: the token scope, the references in $ref bodies and the guest's default landing page follow Graph:BaseUrl.</summary>
public sealed class TenantConnectionTests
{
    private const string TenantId = "11111111-2222-3333-4444-555555555555";

    private static TenantConnection Real(string? graph = null, string? redirect = null) =>
        TenantConnectionResolver.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureAd:TenantId"] = TenantId,
            ["AzureAd:ClientId"] = "client",
            ["AzureAd:Instance"] = "https://login.microsoftonline.us/",
            ["Graph:BaseUrl"] = graph,
            [TenantConnection.DefaultRedirectKey] = redirect,
        }).Build());

    [Fact]
    public void Resolve_NoGraphBaseUrl_GlobalGraphAndMyApps()
    {
        var tenant = Real();

        Assert.Equal("https://graph.microsoft.com/.default", tenant.GraphDefaultScope);
        Assert.Equal($"https://graph.microsoft.com/v1.0/directoryObjects/{TenantId}", tenant.GraphReference("directoryObjects", TenantId));
        Assert.Equal($"https://myapplications.microsoft.com/?tenantid={TenantId}", tenant.DefaultRedirectUrl);
    }

    [Theory]
    [InlineData("https://graph.microsoft.us/v1.0", "https://graph.microsoft.us")]
    [InlineData("https://dod-graph.microsoft.us/v1.0", "https://dod-graph.microsoft.us")]
    public void Resolve_UsGovernmentGraph_ScopeReferencesAndMyAppsOnThatCloud(string graph, string resource)
    {
        var tenant = Real(graph);

        Assert.Equal($"{resource}/.default", tenant.GraphDefaultScope);
        Assert.Equal([$"{resource}/User.Invite.All"], tenant.DelegatedGraphScopes(["User.Invite.All"]));
        Assert.Equal($"{resource}/v1.0/users/abc", tenant.GraphReference("users", "abc"));
        Assert.Equal($"https://myapps.microsoft.us/?tenantid={TenantId}", tenant.DefaultRedirectUrl);
    }

    [Fact]
    public void Resolve_CloudWithoutKnownMyApps_RefusesUntilTheRedirectIsConfigured()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Real("https://microsoftgraph.chinacloudapi.cn/v1.0"));
        Assert.Contains(TenantConnection.DefaultRedirectKey, refused.Message, StringComparison.Ordinal);

        var tenant = Real("https://microsoftgraph.chinacloudapi.cn/v1.0", "https://apps.contoso.cn/");
        Assert.Equal("https://microsoftgraph.chinacloudapi.cn/.default", tenant.GraphDefaultScope);
        Assert.Equal("https://apps.contoso.cn/", tenant.DefaultRedirectUrl);
    }

    [Theory]
    [InlineData("http://graph.microsoft.us/v1.0")]
    [InlineData("graph.microsoft.us")]
    public void Resolve_GraphBaseUrlNotHttps_RefusedNamingTheKey(string graph)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Real(graph));

        Assert.Contains("Graph:BaseUrl", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Simulation_AnswersAsGlobalGraphWhateverItsAddress()
    {
        var tenant = TenantConnectionResolver.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulation:TenantUrl"] = "http://127.0.0.1:5999",
        }).Build());

        Assert.Equal("https://graph.microsoft.com/.default", tenant.GraphDefaultScope);
        Assert.Equal("http://127.0.0.1:5999/_tenant/graph/v1.0", tenant.GraphBaseUrl.ToString().TrimEnd('/'));
        Assert.StartsWith("https://myapplications.microsoft.com/?tenantid=", tenant.DefaultRedirectUrl, StringComparison.Ordinal);
    }
}
