using B2BPortal.Web.Delivery.Email;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Delivery.Email;

public sealed class InvitationEmailTextsTests
{
    [Fact]
    public void Languages_AreExactlyTheInvitationLanguages()
    {
        Assert.Equal(
            InvitationLanguages.All.Order(StringComparer.OrdinalIgnoreCase),
            InvitationEmailTexts.Languages.Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void For_EveryLanguage_HasEveryText(string code)
    {
        var texts = InvitationEmailTexts.For(code);

        Assert.All(
            [texts.HtmlLang, texts.Subject, texts.GreetingNamed, texts.Greeting, texts.Intro, texts.App, texts.MessageFrom,
                texts.Accept, texts.LinkFallback, texts.Contact, texts.Ignore],
            text => Assert.False(string.IsNullOrWhiteSpace(text)));
        Assert.Contains("{0}", texts.Subject, StringComparison.Ordinal);
        Assert.Contains("{2}", texts.GreetingNamed, StringComparison.Ordinal);
    }

    [Fact]
    public void For_German_IsNotEnglish()
    {
        Assert.Equal("Einladung annehmen", InvitationEmailTexts.For("DE").Accept);
        Assert.Equal("Accept invitation", InvitationEmailTexts.For("xx").Accept);
    }

    [Theory]
    [InlineData("zh-hans", "zh-CN")]
    [InlineData(" pt-br ", "pt-BR")]
    [InlineData("", "en-US")]
    [InlineData(null, "en-US")]
    [InlineData("klingon", "en-US")]
    public void ToGraph_MapsCodeToGraphCulture(string? code, string culture) =>
        Assert.Equal(culture, InvitationLanguages.ToGraph(code));

    public static TheoryData<string> Codes() => [.. InvitationLanguages.All];
}
