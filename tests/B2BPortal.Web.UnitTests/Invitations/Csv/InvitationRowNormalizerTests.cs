using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class InvitationRowNormalizerTests
{
    private const string App = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";
    private const string Group = "0f9a4c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    [Fact]
    public void Normalize_LegacyRow_LowerCasesEmailListsIdsOnceAndCanonicalisesLanguage()
    {
        var row = new InvitationRow(3, " Ann.Lee@Fabrikam.COM ", "Ann Lee", "https://c.com", App.ToUpperInvariant(),
            $"{App.ToUpperInvariant()};{App} , {Group}", $"{{{Group}}}", "https://myapps.microsoft.com", "PT-br", null, null);

        var normalized = InvitationRowNormalizer.Normalize(row);

        // The ID lists compared by their items (a record compares lists by reference), the rest as a whole.
        Assert.Equal([App, Group], normalized.AppIds);
        Assert.Equal([Group], normalized.GroupIds);
        Assert.Equal(
            new NormalizedInvitation(
                Email: "Ann.Lee@Fabrikam.COM",
                NormalizedEmail: "ann.lee@fabrikam.com",
                DisplayName: "Ann Lee",
                RedirectUrl: "https://myapps.microsoft.com",
                ContactUsUrl: "https://c.com",
                BrandingAppId: App,
                AppIds: null,
                GroupIds: null,
                Language: "pt-BR",
                SendEmail: true,
                CustomMessage: null),
            normalized with { AppIds = null, GroupIds = null });
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("FALSE", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void Normalize_SendEmail_BecomesBool(string? value, bool expected)
    {
        var row = new InvitationRow(3, "a@f.com", null, null, null, null, null, "https://c.com", null, value, null);

        Assert.Equal(expected, InvitationRowNormalizer.Normalize(row).SendEmail);
    }

    [Theory]
    [InlineData("zh-hans", "zh-HANS")]
    [InlineData("ZH-HANT", "zh-HANT")]
    [InlineData("De", "de")]
    public void Normalize_Language_UsesCanonicalCase(string value, string expected)
    {
        var row = new InvitationRow(3, "a@f.com", "A", "https://c.com", null, null, null, null, value, null, null);

        Assert.Equal(expected, InvitationRowNormalizer.Normalize(row).Language);
    }

    [Fact]
    public void Normalize_InvalidValues_ArePassedThroughForDisplay()
    {
        var row = new InvitationRow(3, null, null, null, "x", "a b a", null, null, "klingon", "maybe", null);

        var normalized = InvitationRowNormalizer.Normalize(row);

        Assert.Equal("", normalized.Email);
        Assert.Equal("", normalized.NormalizedEmail);
        Assert.Equal("x", normalized.BrandingAppId);
        Assert.Equal(["a", "b"], normalized.AppIds);
        Assert.Equal("klingon", normalized.Language);
    }

    [Fact]
    public void SplitIds_SpacesSemicolonsCommasAndLineBreaks_AllSeparate()
    {
        Assert.Equal(["a", "b", "c", "d", "e"], InvitationRowNormalizer.SplitIds(" a  b;c, d\ne "));
    }

    [Fact]
    public void NormalizeIds_EmptyCell_IsNull()
    {
        Assert.Null(InvitationRowNormalizer.NormalizeIds(" ; , "));
    }
}
