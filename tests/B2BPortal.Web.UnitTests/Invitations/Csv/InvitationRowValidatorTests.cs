using B2BPortal.Web.Data;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class InvitationRowValidatorTests
{
    private const string App = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";
    private const string Group = "0f9a4c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    private static readonly InvitationRowValidator _legacy = new(CsvFormat.Legacy);
    private static readonly InvitationRowValidator _entra = new(CsvFormat.Entra);

    private static InvitationRow Legacy(
        string? email = "ann@fabrikam.com",
        string? displayName = "Ann Lee",
        string? contactUs = "https://contoso.com/contact",
        string? brandingAppId = null,
        string? appIds = null,
        string? groupIds = null,
        string? redirect = null,
        string? language = null,
        int row = 7) =>
        new(row, email, displayName, contactUs, brandingAppId, appIds, groupIds, redirect, language, null, null);

    private static InvitationRow Entra(
        string? email = "ann@fabrikam.com",
        string? redirect = "https://myapps.microsoft.com",
        string? sendEmail = null,
        string? message = null,
        int row = 4) =>
        new(row, email, null, null, null, null, null, redirect, null, sendEmail, message);

    private static RowError Only(InvitationRowValidator validator, InvitationRow row) =>
        Assert.Single(validator.Check(row));

    [Fact]
    public void Check_ValidLegacyRowWithEveryColumn_HasNoErrors()
    {
        var row = Legacy(brandingAppId: App, appIds: $"{App} {Group}", groupIds: $"{Group};{App}",
            redirect: "http://azure.microsoft.com/services/active-directory/", language: "zh-hant");

        Assert.Empty(_legacy.Check(row));
    }

    [Fact]
    public void Check_ValidEntraRow_HasNoErrors()
    {
        Assert.Empty(_entra.Check(Entra(sendEmail: "FALSE", message: "Welcome!")));
    }

    [Fact]
    public void Check_DoubleAt_SaysExactlyOneAtAndADomain()
    {
        var error = Only(_legacy, Legacy(email: "bob@@contoso.com"));

        Assert.Equal(
            new RowError("Email",
                "Row 7, Email: 'bob@@contoso.com' is not a valid address — it must have exactly one '@' and a domain, like name@partner.com."),
            error);
    }

    [Fact]
    public void Check_NoAt_SaysExactlyOneAt()
    {
        Assert.Equal(
            "Row 7, Email: 'bob.contoso.com' is not a valid address — it must have exactly one '@' and a domain, like name@partner.com.",
            Only(_legacy, Legacy(email: "bob.contoso.com")).Message);
    }

    [Fact]
    public void Check_NameAndAddressFromMailProgram_SaysWhichPartToKeep()
    {
        Assert.Equal(
            "Row 7, Email: 'Ann Lee <ann@fabrikam.com>' holds a name and an address as copied from a mail program ('Name <address>') — keep only the address, ann@fabrikam.com.",
            Only(_legacy, Legacy(email: "Ann Lee <ann@fabrikam.com>")).Message);
    }

    [Fact]
    public void Check_MailtoPrefix_SaysWhichPartToKeep()
    {
        Assert.Equal(
            "Row 7, Email: 'mailto:ann@fabrikam.com' starts with 'mailto:' (copied from a link) — keep only the address, ann@fabrikam.com.",
            Only(_legacy, Legacy(email: "mailto:ann@fabrikam.com")).Message);
    }

    [Theory]
    [InlineData("ann\u0000@fabrikam.com", null)]
    [InlineData("ann@fabrikam.com", "Ann\u0000Lee")]
    public void Check_ControlCharacterInEmailOrName_SaysToRetype(string email, string? displayName)
    {
        var error = Only(_legacy, Legacy(email: email, displayName: displayName ?? "Ann Lee"));

        Assert.EndsWith("contains an invisible control character (often pasted along with the text) — retype the value.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0000', error.Message);
    }

    [Theory]
    [InlineData("Invoice \u202Efdp.exe")]
    [InlineData("Ann \u2067Lee")]
    public void Check_DirectionOverrideInName_SaysItDisguisesTheName(string displayName)
    {
        var error = Only(_legacy, Legacy(displayName: displayName));

        Assert.StartsWith("Row 7, DisplayName: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("right-to-left or left-to-right override", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => InvitationRowValidator.IsDirectionOverride(c));
    }

    [Theory]
    [InlineData("محمد الأحمد")]
    [InlineData("דוד\u200F לוי")]
    [InlineData("Mehr\u200Cdad")]
    public void Check_RightToLeftNamesAndJoiners_AreValid(string displayName) =>
        Assert.Empty(_legacy.Check(Legacy(displayName: displayName)));

    [Theory]
    [InlineData("ann\u202Eeel@fabrikam.com")]
    [InlineData("ann\u200B@fabrikam.com")]
    [InlineData("\uFEFFann@fabrikam.com")]
    public void Check_InvisibleFormattingInEmail_SaysItIsNotTheAddressItLooksLike(string email)
    {
        var error = Only(_legacy, Legacy(email: email));

        Assert.StartsWith("Row 7, Email: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("invisible formatting character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SingleInvitationMessageWithNul_IsRefusedButLineBreaksAreFine()
    {
        var validator = InvitationRowValidator.For(CsvFormat.Legacy, RowRules.SingleInvitation);
        InvitationRow Row(string message) => new(1, "ann@fabrikam.com", "Ann", null, null, null, null, null, null, null, message);

        Assert.Empty(validator.Check(Row("Welcome,\r\n\tthe partner team")));
        Assert.Contains("retype the message", Assert.Single(validator.Check(Row("Hi\u0000"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EntraEmail_IsNamedByItsPropertyName()
    {
        var error = Only(_entra, Entra(email: "bob"));

        Assert.Equal("inviteeEmail", error.Column);
        Assert.StartsWith("Row 4, inviteeEmail: 'bob' is not a valid address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('~')]
    [InlineData('!')]
    [InlineData('#')]
    [InlineData('$')]
    [InlineData('%')]
    [InlineData('^')]
    [InlineData('&')]
    [InlineData('*')]
    [InlineData('(')]
    [InlineData(')')]
    [InlineData('+')]
    [InlineData('=')]
    [InlineData('[')]
    [InlineData(']')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('\\')]
    [InlineData('/')]
    [InlineData('|')]
    [InlineData(':')]
    [InlineData('"')]
    [InlineData('<')]
    [InlineData('>')]
    [InlineData('?')]
    public void Check_GraphForbiddenCharacter_NamesTheCharacter(char forbidden)
    {
        var email = $"an{forbidden}n@fabrikam.com";

        var error = Only(_legacy, Legacy(email: email));

        Assert.Equal(
            $"Row 7, Email: '{email}' contains '{forbidden}', which an invitation address cannot contain " +
            "(not allowed: ~ ! # $ % ^ & * ( ) + = [ ] { } \\ / | ; : \" < > ? ,) — remove it or correct the address.",
            error.Message);
    }

    [Theory]
    [InlineData("ann@fabrikam.com,bob@fabrikam.com", ',')]
    [InlineData("ann@fabrikam.com;bob@fabrikam.com", ';')]
    public void Check_SeveralAddressesInOneCell_SaysOneAddressPerRow(string email, char separator)
    {
        var message = Only(_legacy, Legacy(email: email)).Message;

        // Two '@' is found first: the fix is the same, one address per row.
        Assert.Contains("exactly one '@'", message, StringComparison.Ordinal);
        Assert.Contains(separator.ToString(), message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CommaInAddress_SaysPutEachOnItsOwnRow()
    {
        Assert.EndsWith(
            "contains ',', which an invitation address cannot contain (not allowed: ~ ! # $ % ^ & * ( ) + = [ ] { } \\ / | ; : \" < > ? ,) — put each address on its own row.",
            Only(_legacy, Legacy(email: "ann,lee@fabrikam.com")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SpaceInAddress_SaysRemoveIt()
    {
        Assert.Equal(
            "Row 7, Email: 'ann lee@fabrikam.com' contains a space — remove it; if the cell holds several addresses, put each on its own row.",
            Only(_legacy, Legacy(email: "ann lee@fabrikam.com")).Message);
    }

    [Theory]
    [InlineData(".ann@fabrikam.com")]
    [InlineData("ann.@fabrikam.com")]
    [InlineData("-ann@fabrikam.com")]
    [InlineData("ann-@fabrikam.com")]
    public void Check_LocalPartStartingOrEndingWithDotOrDash_IsInvalid(string email)
    {
        Assert.Equal(
            $"Row 7, Email: '{email}' starts or ends with '.' or '-' before the '@', which an invitation address cannot — correct the address.",
            Only(_legacy, Legacy(email: email)).Message);
    }

    [Fact]
    public void Check_TwoDotsInLocalPart_IsInvalid()
    {
        Assert.Equal(
            "Row 7, Email: 'ann..lee@fabrikam.com' has two dots in a row before the '@' — correct the address.",
            Only(_legacy, Legacy(email: "ann..lee@fabrikam.com")).Message);
    }

    [Fact]
    public void Check_NothingBeforeAt_IsInvalid()
    {
        Assert.Equal(
            "Row 7, Email: '@fabrikam.com' has nothing before the '@' — it must look like name@partner.com.",
            Only(_legacy, Legacy(email: "@fabrikam.com")).Message);
    }

    [Fact]
    public void Check_NoDomain_IsInvalid()
    {
        Assert.Equal(
            "Row 7, Email: 'ann@' has no domain after the '@' — it must look like name@partner.com.",
            Only(_legacy, Legacy(email: "ann@")).Message);
    }

    [Theory]
    [InlineData("ann@fabrikam")]
    [InlineData("ann@fabrikam.")]
    [InlineData("ann@.fabrikam.com")]
    [InlineData("ann@fabrikam..com")]
    [InlineData("ann@-fabrikam.com")]
    [InlineData("ann@fab_rikam.com")]
    public void Check_DomainWithoutDotOrMalformed_SaysFullDomain(string email)
    {
        Assert.Equal(
            $"Row 7, Email: '{email}' does not end in a full domain after the '@' (a name with a dot, such as partner.com) — correct the address, like name@partner.com.",
            Only(_legacy, Legacy(email: email)).Message);
    }

    [Theory]
    [InlineData("ann@fabrikam.com")]
    [InlineData("Ann.Lee@Fabrikam.CO.UK")]
    [InlineData("ann_lee-1@sub.fabrikam.com")]
    [InlineData("o'brien@fabrikam.ie")]
    [InlineData("jürgen@müller.de")]
    public void Check_ValidAddresses_HaveNoErrors(string email)
    {
        Assert.Empty(_legacy.Check(Legacy(email: email)));
    }

    [Fact]
    public void Check_AddressLongerThan254_GivesLengthAndIsCutShortInTheMessage()
    {
        var email = new string('a', 250) + "@fabrikam.com";

        var message = Only(_legacy, Legacy(email: email)).Message;

        Assert.StartsWith($"Row 7, Email: '{new string('a', 80)}…' is 263 characters long, more than the 254 an address may have", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LegacyRequiredCellsEmpty_NamesEachColumnAndWhatToEnter()
    {
        var errors = _legacy.Check(Legacy(email: null, displayName: null, contactUs: null, row: 12));

        Assert.Equal(
            [
                new RowError("Email", "Row 12, Email: the cell is empty — enter the guest's email address, like name@partner.com."),
                new RowError("DisplayName", "Row 12, DisplayName: the cell is empty — enter the guest's name as your directory should show it, such as first and last name."),
                new RowError("InviteContactUsUrl", "Row 12, InviteContactUsUrl: the cell is empty — the 2016 format requires a \"Contact us\" web address for the invitation, like https://partner.contoso.com/contact."),
            ],
            errors);
    }

    [Fact]
    public void Check_EntraRequiredCellsEmpty_NamesPropertyNames()
    {
        var errors = _entra.Check(Entra(email: null, redirect: null));

        Assert.Equal(
            [
                new RowError("inviteeEmail", "Row 4, inviteeEmail: the cell is empty — enter the guest's email address, like name@partner.com."),
                new RowError("inviteRedirectURL", "Row 4, inviteRedirectURL: the cell is empty — enter where the guest lands after accepting the invitation, like https://myapplications.microsoft.com."),
            ],
            errors);
    }

    [Fact]
    public void Check_EntraRowHasNoDisplayNameColumn_DoesNotRequireIt()
    {
        Assert.Empty(_entra.Check(Entra()));
    }

    [Fact]
    public void Check_LegacyOptionalRedirectEmpty_IsValid()
    {
        Assert.Empty(_legacy.Check(Legacy(redirect: null)));
    }

    [Theory]
    [InlineData("www.contoso.com")]
    [InlineData("ftp://contoso.com/help")]
    [InlineData("/help")]
    [InlineData("mailto:help@contoso.com")]
    [InlineData("https://")]
    [InlineData("https://contoso .com")]
    public void Check_ContactUsUrlNotAbsoluteHttp_SaysStartWithHttps(string url)
    {
        Assert.Equal(
            new RowError("InviteContactUsUrl",
                $"Row 7, InviteContactUsUrl: '{url}' is not a full web address — it must start with https:// or http://, like https://myapplications.microsoft.com."),
            Only(_legacy, Legacy(contactUs: url)));
    }

    [Fact]
    public void Check_LegacyReplyUrlInvalid_NamesInviteReplyUrl()
    {
        Assert.Equal(
            new RowError("InviteReplyURL",
                "Row 7, InviteReplyURL: 'myapps' is not a full web address — it must start with https:// or http://, like https://myapplications.microsoft.com."),
            Only(_legacy, Legacy(redirect: "myapps")));
    }

    [Fact]
    public void Check_EntraRedirectInvalid_NamesInviteRedirectUrl()
    {
        Assert.Equal("inviteRedirectURL", Only(_entra, Entra(redirect: "contoso.com")).Column);
    }

    [Fact]
    public void Check_BrandingAppIdNotGuid_SaysWhereToFindTheId()
    {
        Assert.Equal(
            new RowError("InviteAppID",
                "Row 7, InviteAppID: 'contoso-app' is not an application ID — it must be one GUID like " +
                "cd3ed3de-93ee-400b-8b19-b61ef44a0f29 (App registrations › Application (client) ID in the Entra admin center), or leave the cell empty."),
            Only(_legacy, Legacy(brandingAppId: "contoso-app")));
    }

    [Fact]
    public void Check_AppResourcesWithOneBadToken_NamesThatToken()
    {
        Assert.Equal(
            new RowError("InviteAppResources",
                "Row 7, InviteAppResources: 'Payroll' is not a valid application (client) ID — each must be a GUID like " +
                "cd3ed3de-93ee-400b-8b19-b61ef44a0f29 (App registrations › Application (client) ID in the Entra admin center); separate several with spaces."),
            Only(_legacy, Legacy(appIds: $"{App}, Payroll")));
    }

    [Fact]
    public void Check_GroupResourcesWithSeveralBadTokens_ListsThem()
    {
        Assert.Equal(
            new RowError("InviteGroupResources",
                "Row 7, InviteGroupResources: 'Sales', 'Marketing', '123' and 1 more are not valid group object IDs — each must be a GUID like " +
                "cd3ed3de-93ee-400b-8b19-b61ef44a0f29 (Groups › Object ID in the Entra admin center); separate several with spaces."),
            Only(_legacy, Legacy(groupIds: $"Sales;Marketing {Group} 123,x")));
    }

    [Fact]
    public void Check_GroupResourcesAtTheListLimit_AreValid()
    {
        // The same IDs again (in another case) count once: the stored list holds each ID once.
        var ids = Enumerable.Range(0, IdList.MaxCount).Select(n => new Guid(n, 0, 0, new byte[8]).ToString()).ToList();

        Assert.Empty(_legacy.Check(Legacy(groupIds: string.Join(' ', ids) + " " + ids[0].ToUpperInvariant())));
    }

    [Fact]
    public void Check_GroupResourcesOverTheListLimit_SayHowManyAndTheLimit()
    {
        var ids = Enumerable.Range(0, IdList.MaxCount + 2).Select(n => new Guid(n, 0, 0, new byte[8]).ToString());

        Assert.Equal(
            new RowError("InviteGroupResources",
                $"Row 7, InviteGroupResources: the cell names {IdList.MaxCount + 2} group object IDs, more than the {IdList.MaxCount} one row may name — " +
                "remove some, or add the guest to the others after the invitation."),
            Only(_legacy, Legacy(groupIds: string.Join(';', ids))));
    }

    [Theory]
    [InlineData("EN")]
    [InlineData("pt-br")]
    [InlineData("ZH-hans")]
    [InlineData("zh-HANT")]
    public void Check_LanguageInAnyCase_IsValid(string language)
    {
        Assert.Empty(_legacy.Check(Legacy(language: language)));
    }

    [Theory]
    [InlineData("english")]
    [InlineData("pt")]
    [InlineData("en-US")]
    public void Check_UnsupportedLanguage_ListsTheSupportedOnes(string language)
    {
        Assert.Equal(
            new RowError("Language",
                $"Row 7, Language: '{language}' is not a supported language — use one of en, de, es, fr, it, ja, ko, pt-BR, ru, zh-HANS, zh-HANT, or leave the cell empty for English."),
            Only(_legacy, Legacy(language: language)));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("YES")]
    [InlineData("no")]
    [InlineData("1")]
    [InlineData("0")]
    public void Check_SendEmailAcceptedSpellings_AreValid(string value)
    {
        Assert.Empty(_entra.Check(Entra(sendEmail: value)));
    }

    [Fact]
    public void Check_SendEmailOtherText_SaysTrueOrFalse()
    {
        Assert.Equal(
            new RowError("sendEmail",
                "Row 4, sendEmail: 'maybe' is not true or false — write true to email the invitation or false to add the guest without an email (an empty cell means true)."),
            Only(_entra, Entra(sendEmail: "maybe")));
    }

    [Fact]
    public void Check_CustomMessageTooLong_GivesLengthAndLimitWithoutQuotingIt()
    {
        var error = Only(_entra, Entra(message: new string('x', 2_001)));

        Assert.Equal(
            new RowError("customizedMessageBody",
                "Row 4, customizedMessageBody: the message is 2,001 characters long, more than the 2,000 allowed — shorten it."),
            error);
        Assert.Empty(_entra.Check(Entra(message: new string('x', 2_000))));
    }

    [Fact]
    public void Check_DisplayNameTooLong_SaysShortenIt()
    {
        Assert.Equal(
            "Row 7, DisplayName: the name is 257 characters long, more than the 256 Entra allows — shorten it.",
            Only(_legacy, Legacy(displayName: new string('n', 257))).Message);
    }

    [Fact]
    public void Check_SingleInvitationRules_ContactUsOptionalAndNoRowNumber()
    {
        var validator = new InvitationRowValidator(CsvFormat.Legacy, RowRules.SingleInvitation);

        Assert.Empty(validator.Check(Legacy(contactUs: null)));
        Assert.Equal(
            [
                new RowError("Email", "Email: 'bob@@contoso.com' is not a valid address — it must have exactly one '@' and a domain, like name@partner.com."),
                new RowError("DisplayName", "DisplayName: the cell is empty — enter the guest's name as your directory should show it, such as first and last name."),
            ],
            validator.Check(Legacy(email: "bob@@contoso.com", displayName: null, contactUs: null)));
    }

    [Fact]
    public void Check_SeveralProblems_ReportsOneErrorPerColumn()
    {
        var errors = _legacy.Check(Legacy(email: "x", contactUs: "nope", language: "klingon", groupIds: "g"));

        Assert.Equal(["Email", "InviteContactUsUrl", "InviteGroupResources", "Language"], errors.Select(e => e.Column));
        Assert.All(errors, e => Assert.StartsWith($"Row 7, {e.Column}: ", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_RowsReadFromAFile_CarryTheirSpreadsheetRowNumber()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "version:v1.0\n" + CsvBytes.EntraHeader + "\nExample:,,,\n\nann@@fabrikam.com,https://myapps.microsoft.com,,\n"));

        Assert.Equal(
            "Row 5, inviteeEmail: 'ann@@fabrikam.com' is not a valid address — it must have exactly one '@' and a domain, like name@partner.com.",
            Only(_entra, Assert.Single(rows)).Message);
    }

    [Theory]
    [InlineData("{PropertyName}")]
    [InlineData("in {PropertyValue}")]
    [InlineData("{PropertyPath}")]
    public void Check_CellHoldingAPlaceholderOfTheValidationLibrary_IsQuotedAsWritten(string language)
    {
        Assert.Equal(
            $"Row 7, Language: '{language}' is not a supported language — use one of en, de, es, fr, it, ja, ko, pt-BR, ru, zh-HANS, zh-HANT, or leave the cell empty for English.",
            Only(_legacy, Legacy(language: language)).Message);
    }

    [Fact]
    public void Check_PlaceholderInALongCell_DoesNotBringTheWholeCellIntoTheMessage()
    {
        var email = "{PropertyValue}" + new string('a', 5_000) + "\u202E@fabrikam.com";

        var message = Only(_legacy, Legacy(email: email)).Message;

        Assert.StartsWith("Row 7, Email: '{PropertyValue}aaa", message, StringComparison.Ordinal);
        Assert.True(message.Length < 500, message);
        Assert.DoesNotContain('\u202E', message);
    }

    [Fact]
    public void Check_PlainHttpReplyUrlUnderTheRedirectPolicy_SaysHttpsOrEmpty()
    {
        var validator = InvitationRowValidator.For(CsvFormat.Legacy, RowRules.File, new RedirectUrlPolicy(allowHttp: false, []));

        Assert.Equal(
            new RowError("InviteReplyURL",
                "Row 7, InviteReplyURL: 'http://myapps.example/' is a plain http:// address — invitations only send guests to https:// " +
                "addresses; change it to start with https://, or leave the cell empty for the tenant's My Apps."),
            Only(validator, Legacy(redirect: "http://myapps.example/")));
        Assert.Empty(validator.Check(Legacy(redirect: null)));
    }

    [Fact]
    public void Check_EntraRedirectToAHostNotAllowed_NamesTheHostsWithoutTheEmptyCellOption()
    {
        var validator = InvitationRowValidator.For(CsvFormat.Entra, RowRules.File, new RedirectUrlPolicy(allowHttp: false, ["myapps.microsoft.com"]));

        Assert.Equal(
            "Row 4, inviteRedirectURL: 'https://phish.example/' goes to phish.example, which is not among the hosts this portal sends " +
            "guests to (myapps.microsoft.com, set by Portal:Policy:RedirectHosts) — use an address on one of them.",
            Only(validator, Entra(redirect: "https://phish.example/")).Message);
        Assert.Equal("inviteRedirectURL", Only(validator, Entra(redirect: null)).Column);
    }

    [Fact]
    public void Check_AddressAtABlockedDomain_SaysWhereTheBlockIsSet()
    {
        var validator = InvitationRowValidator.For(
            CsvFormat.Legacy, RowRules.SingleInvitation, new RedirectUrlPolicy(allowHttp: false, []),
            new DomainPolicy([], ["blocked.example"], [], denyConsumer: false));

        Assert.Equal(
            new RowError("Email",
                "Email: 'ann@blocked.example' is at blocked.example, a domain this portal does not invite " +
                "(Portal:Policy:BlockedDomains) — remove the row, or ask an administrator to unblock the domain."),
            Only(validator, Legacy(email: "ann@blocked.example", contactUs: null)));
    }

    [Fact]
    public void Check_RequiredCellsEmptyAndOthersWrong_KeepsTheColumnOrder()
    {
        var errors = _legacy.Check(Legacy(email: null, displayName: null, contactUs: null, redirect: "x", brandingAppId: "y",
            appIds: "z", groupIds: "w", language: "v"));

        Assert.Equal(
            ["Email", "DisplayName", "InviteContactUsUrl", "InviteReplyURL", "InviteAppID", "InviteAppResources", "InviteGroupResources", "Language"],
            errors.Select(e => e.Column));
    }

    [Fact]
    public void For_ReturnsASharedValidatorWithThoseRules()
    {
        Assert.Same(InvitationRowValidator.For(CsvFormat.Entra), InvitationRowValidator.For(CsvFormat.Entra));
        Assert.Equal("inviteeEmail", Assert.Single(InvitationRowValidator.For(CsvFormat.Entra).Check(Entra(email: "x"))).Column);
        Assert.Empty(InvitationRowValidator.For(CsvFormat.Legacy, RowRules.SingleInvitation).Check(Legacy(contactUs: null)));
        Assert.Equal("InviteContactUsUrl", Assert.Single(InvitationRowValidator.For(CsvFormat.Legacy).Check(Legacy(contactUs: null))).Column);
    }
}
