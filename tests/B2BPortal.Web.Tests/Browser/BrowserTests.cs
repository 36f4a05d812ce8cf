namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// The base of every browser test class: it joins the collection that holds the one <see cref="BrowserFixture"/>
/// (portal on loopback plus Chromium) and puts the class in the browser tier, so neither can be forgotten.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait(Tier.Name, Tier.Browser)]
public abstract class BrowserTests;
