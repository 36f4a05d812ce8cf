using B2BPortal.Web.Data;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public sealed class DomainPolicyTests
{
    private static PolicySetting Stored(string? blocked = null, string? consumer = null) =>
        new() { UpdatedBy = "admin@contoso.example", BlockedDomains = blocked, ConsumerDomains = consumer };

    [Theory]
    [InlineData("kim@contoso.com")]
    [InlineData("kim@CONTOSO.onmicrosoft.com")]
    public void Problem_TenantsOwnVerifiedDomain_RefusedEvenWithNoPolicy(string email)
    {
        var policy = DomainPolicy.From(new PortalPolicyOptions(), ["contoso.onmicrosoft.com", "Contoso.com"]);

        Assert.StartsWith("is at contoso", policy.Problem(email), StringComparison.Ordinal);
        Assert.Contains("one of this tenant's own verified domains", policy.Problem(email), StringComparison.Ordinal);
        Assert.Null(policy.Problem("kim@sub.contoso.com")); // a subdomain is verified on its own in Entra, or not at all
    }

    [Fact]
    public void Problem_BlockedOnTheSettingsPage_NamesThePageNotConfiguration()
    {
        var options = PolicySource.Merge(new PortalPolicyOptions { BlockedDomains = ["config.example"] }, Stored(blocked: "page.example"));

        var policy = DomainPolicy.From(options, stored: Stored(blocked: "page.example"));

        Assert.Contains("(Settings › Domain policy › Blocked domains)", policy.Problem("a@page.example"), StringComparison.Ordinal);
        Assert.Null(policy.Problem("a@config.example")); // the page's list replaces configuration's
    }

    [Fact]
    public void Problem_ConfiguredOnly_NamesTheConfigurationKey()
    {
        var policy = DomainPolicy.From(new PortalPolicyOptions { ConsumerDomains = ConsumerDomainRule.Deny });

        Assert.Contains("(Portal:Policy:ConsumerDomains=Deny)", policy.Problem("a@gmail.com"), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_FieldsNotSetOnThePage_KeepConfiguration()
    {
        var configured = new PortalPolicyOptions { AllowedDomains = ["partner.example"], RedirectHosts = ["myapps.microsoft.com"], AllowHttpRedirects = true };

        var merged = PolicySource.Merge(configured, Stored(consumer: "Deny"));

        Assert.Equal(ConsumerDomainRule.Deny, merged.ConsumerDomains);
        Assert.Equal(["partner.example"], merged.AllowedDomains);
        Assert.Equal(["myapps.microsoft.com"], merged.RedirectHosts);
        Assert.True(merged.AllowHttpRedirects);
        Assert.Equal(PortalPolicyOptions.DefaultConsumerDomains, merged.EffectiveConsumerDomains);
    }

    [Fact]
    public void Merge_EmptyListOnThePage_ReplacesConfiguredList()
    {
        var merged = PolicySource.Merge(new PortalPolicyOptions { BlockedDomains = ["config.example"] }, Stored(blocked: string.Empty));

        Assert.Empty(merged.BlockedDomains);
    }

    [Fact]
    public void Describe_ListsAddedAndRemovedEntriesAndTheRule()
    {
        var before = new PortalPolicyOptions { BlockedDomains = ["old.example"] };
        var after = new PortalPolicyOptions { BlockedDomains = ["new.example"], ConsumerDomains = ConsumerDomainRule.Deny };

        Assert.Equal("personal addresses Deny (was Allow); blocked domains: +new.example, -old.example", PolicySettings.Describe(before, after));
    }
}
