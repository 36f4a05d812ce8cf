namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The xunit trait that sorts this project's tests into tiers (README "Tests"; <c>./test.sh --tier NAME</c>).
/// A test class here is in the integration tier (PostgreSQL and the simulated tenant) unless it says otherwise:
/// browser tests derive from <see cref="Browser.BrowserTests"/>, which carries <see cref="Browser"/>; tests that kill
/// a process or stop the database carry <c>[Trait(Tier.Name, Tier.Chaos)]</c>. Pure tests without any of these
/// belong in B2BPortal.Web.UnitTests. <see cref="TierTests"/> checks the marks.
/// </summary>
public static class Tier
{
    public const string Name = "Tier";

    public const string Browser = "browser";

    public const string Chaos = "chaos";

    /// <summary>The dotnet test filter for this project's integration tier: everything not marked otherwise.</summary>
    public const string IntegrationFilter = $"{Name}!={Browser}&{Name}!={Chaos}";
}
