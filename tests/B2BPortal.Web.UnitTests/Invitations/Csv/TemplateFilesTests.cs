using System.Runtime.CompilerServices;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

/// <summary>The two downloadable templates, read from wwwroot/templates as admins get them.</summary>
public class TemplateFilesTests
{
    private static byte[] Template(string name, [CallerFilePath] string here = "")
    {
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", ".."));
        return File.ReadAllBytes(Path.Combine(repository, "src", "B2BPortal.Web", "wwwroot", "templates", name));
    }

    [Fact]
    public void LegacyTemplate_IsMicrosoftsSampleOverHttpsAndAValidRowUnderTheDefaultPolicy()
    {
        var (file, rows) = CsvBytes.Read(Template("legacy-2016-template.csv"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        Assert.Equal(
            ["Email", "DisplayName", "InviteContactUsUrl", "InviteAppID", "InviteAppResources", "InviteGroupResources", "InviteReplyURL"],
            file.Columns);
        var row = Assert.Single(rows);
        Assert.Equal("wharp@contoso.com", row.Email);
        Assert.Equal("Walter Harp", row.DisplayName);
        Assert.Equal("cd3ed3de-93ee-400b-8b19-b61ef44a0f29", row.BrandingAppId);
        // Microsoft's sample links to http://azure.microsoft.com; the template uses https://, which the default policy requires.
        Assert.Equal("https://azure.microsoft.com/services/active-directory/", row.RedirectUrl);
        Assert.Empty(new InvitationRowValidator(CsvFormat.Legacy, RowRules.File, RedirectUrlPolicy.From(new PortalPolicyOptions())).Check(row));
    }

    [Fact]
    public void EntraTemplate_IsTheTutorialsFileExactly()
    {
        var text = System.Text.Encoding.UTF8.GetString(Template("entra-bulk-invite-template.csv"));

        Assert.Equal(
            "version:v1.0\r\n" +
            "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required," +
            "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\n" +
            "Example:,,,\r\n",
            text);
    }

    [Fact]
    public void EntraTemplate_UploadedUnchanged_IsRejectedForHavingNoRows()
    {
        var rejected = CsvBytes.Rejected(Template("entra-bulk-invite-template.csv"));

        Assert.Contains("no invitation rows (the template's Example: row is not an invitation)", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void EntraTemplate_WithRowsAddedBelowTheExample_ReadsThem()
    {
        byte[] bytes = [.. Template("entra-bulk-invite-template.csv"),
            .. CsvBytes.Utf8("ann@fabrikam.com,https://myapps.microsoft.com,true,Welcome\r\n")];

        var (file, rows) = CsvBytes.Read(bytes);

        Assert.Equal(CsvFormat.Entra, file.Format);
        Assert.Equal(4, Assert.Single(rows).RowNumber);
    }
}
