using System.Reflection;
using B2BPortal.Web.Tests.Browser;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>The tier marks of this project's test classes are what <see cref="Tier"/> says they are.</summary>
public sealed class TierTests
{
    private static readonly Type[] _testClasses = [.. typeof(TierTests).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false }
            && t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))];

    [Fact]
    public void EveryTestClass_HasAtMostOneKnownTier()
    {
        Assert.NotEmpty(_testClasses);
        Assert.All(_testClasses, type =>
        {
            var tiers = TiersOf(type);
            Assert.True(tiers.Count <= 1, $"{type.Name} is in more than one tier: {string.Join(", ", tiers)}");
            Assert.All(tiers, tier => Assert.Contains(tier, (string[])[Tier.Browser, Tier.Chaos]));
        });
    }

    [Fact]
    public void EveryClassThatTakesTheBrowserFixture_IsABrowserTestAndViceVersa()
    {
        Assert.All(_testClasses, type =>
        {
            var takesBrowser = type.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(BrowserFixture)));
            var isBrowserTest = typeof(BrowserTests).IsAssignableFrom(type);
            Assert.True(takesBrowser == isBrowserTest,
                $"{type.Name}: a class that takes {nameof(BrowserFixture)} derives from {nameof(BrowserTests)} (and only such a class does).");
            Assert.Equal(isBrowserTest, TiersOf(type).Contains(Tier.Browser));
        });
    }

    // The Tier traits xunit sees on the class, its own and inherited, as [Trait(name, value)] constructor arguments.
    private static List<string> TiersOf(Type type)
    {
        var tiers = new List<string>();
        for (var t = type; t is not null; t = t.BaseType)
        {
            tiers.AddRange(t.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(TraitAttribute) && Equals(a.ConstructorArguments[0].Value, Tier.Name))
                .Select(a => (string)a.ConstructorArguments[1].Value!));
        }

        return tiers;
    }
}
