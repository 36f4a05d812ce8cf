using System.Text;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class InvitationFileRejectionTests
{
    [Fact]
    public void Open_EmptyFile_IsRejectedAsEmpty()
    {
        var rejected = CsvBytes.Rejected([]);

        Assert.Equal(400, rejected.StatusCode);
        Assert.StartsWith("The file is empty (0 bytes).", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("header row and one row per guest", rejected.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x20, 0x0D, 0x0A })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    public void Open_OnlyBomOrWhitespace_IsRejectedAsHavingNoText(byte[] bytes)
    {
        var rejected = CsvBytes.Rejected(bytes);

        Assert.StartsWith("The file has no text in it.", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SameColumnTwice_NamesBothSpreadsheetColumns()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl,email\r\na@p.example,A,https://c.example/,b@p.example\r\n"));

        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal(
            "The header row (row 1) has the Email column twice: column A ('Email') and column D ('email'). Keep one of them, delete or rename the other, and upload the file again.",
            rejected.Detail);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void SpreadsheetColumn_ZeroBasedIndex_IsTheLetterExcelShows(int index, string letters) =>
        Assert.Equal(letters, InvitationFile.SpreadsheetColumn(index));

    [Fact]
    public void ReadRows_HeaderOnly_IsRejectedForNoDataRows()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\r\n\r\n"));

        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal(
            "The file has a header row but no invitation rows. Add one row per guest below the header and upload it again.",
            rejected.Detail);
    }

    [Fact]
    public void ReadRows_EntraTemplateWithOnlyTheExampleRow_SaysTheExampleIsNotAnInvitation()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("version:v1.0\n" + CsvBytes.EntraHeader + "\nExample:,,,\n"));

        Assert.Contains("no invitation rows (the template's Example: row is not an invitation)", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_VersionLineOnly_IsRejectedForMissingHeader()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("version:v1.0\r\n"));

        Assert.StartsWith("The file has no header row and no invitation rows.", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("[inviteeEmail] and [inviteRedirectURL]", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_XlsxWorkbook_IsRejectedWithSaveAsCsvAdvice()
    {
        // The start of a real .xlsx: a zip local file header for [Content_Types].xml.
        byte[] xlsx = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00,
            .. Encoding.ASCII.GetBytes("[Content_Types].xml"), .. new byte[200]];

        var rejected = CsvBytes.Rejected(xlsx);

        Assert.Equal(400, rejected.StatusCode);
        Assert.StartsWith("This is an Excel workbook (.xlsx) or another zip file, not a CSV file.", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("Save As", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("CSV UTF-8", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LegacyXlsWorkbook_IsRejected()
    {
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

        var rejected = CsvBytes.Rejected(xls);

        Assert.StartsWith("This is an Excel 97-2003 workbook (.xls), not a CSV file.", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Pdf_IsRejected()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"));

        Assert.StartsWith("This is a PDF document, not a CSV file.", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RandomBinary_IsRejectedAsNotText()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);

        var rejected = CsvBytes.Rejected(bytes);

        Assert.StartsWith("This file is not text (it contains binary data), so it is not a CSV file.", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TextWithNulBytes_IsRejectedAsNotText()
    {
        var bytes = CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\na\0b@fabrikam.com,A,https://c.com\n");

        var rejected = CsvBytes.Rejected(bytes);

        Assert.StartsWith("This file is not text", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Utf16BigEndianWithoutBomSemicolons_IsReadWithTheSemicolon()
    {
        var (file, rows) = CsvBytes.Read(Encoding.BigEndianUnicode.GetBytes(
            "Email;DisplayName;InviteContactUsUrl\r\njm@fabrikam.de;Müller, Jürgen;https://c.com\r\n"));

        Assert.Equal(';', file.Separator);
        Assert.Equal("Müller, Jürgen", Assert.Single(rows).DisplayName);
    }

    [Fact]
    public void Open_Utf16WithoutBom_IsReadNotRejected()
    {
        var (file, rows) = CsvBytes.Read(Encoding.Unicode.GetBytes(
            "Email\tDisplayName\tInviteContactUsUrl\r\njm@fabrikam.de\tJürgen Müller\thttps://c.com\r\n"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        Assert.Equal("Jürgen Müller", Assert.Single(rows).DisplayName);
    }

    [Fact]
    public void Open_LegacyMissingContactUsUrl_NamesTheColumnAndTheExpectedColumns()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("Email,DisplayName,InviteReplyURL\na@f.com,A,https://c.com\n"));

        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal(
            "The header row (row 1) looks like the 2016 Azure AD B2B collaboration format but has no InviteContactUsUrl " +
            "column. Expected columns: Email, DisplayName and InviteContactUsUrl (required) and InviteAppID, " +
            "InviteAppResources, InviteGroupResources, InviteReplyURL, Language (or InviteLanguage) (optional). " +
            "Add the missing column to the header row, or start from the template on the Upload page.",
            rejected.Detail);
    }

    [Fact]
    public void Open_LegacyMissingTwoColumns_NamesBoth()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("Email,InviteAppID\na@f.com,x\n"));

        Assert.Contains("has no DisplayName and InviteContactUsUrl columns.", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EntraMissingRedirectUrl_NamesTheBracketedColumn()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8(
            "version:v1.0\nEmail address to invite [inviteeEmail] Required,Send invitation message (true or false) [sendEmail]\na@f.com,true\n"));

        Assert.Equal(
            "The header row (row 2) looks like the Microsoft Entra bulk-invite template but has no [inviteRedirectURL] " +
            "column. Expected columns: [inviteeEmail] and [inviteRedirectURL] (required) and [sendEmail], " +
            "[customizedMessageBody] (optional). Add the missing column to the header row, or start from the " +
            "template on the Upload page.",
            rejected.Detail);
    }

    [Fact]
    public void Open_UnknownHeader_NamesBothFormatsExpectedColumns()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("Name,Mail,Company\nAnn,a@f.com,Fabrikam\n"));

        Assert.StartsWith("The header row (row 1) names none of the columns of a supported format.", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("Email, DisplayName and InviteContactUsUrl (required)", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("[inviteeEmail] and [inviteRedirectURL] (required)", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileWithoutHeaderRow_SaysTheFirstRowLooksLikeDataWithoutQuotingIt()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("ann@fabrikam.com,Ann Lee,https://c.com\n"));

        Assert.StartsWith(
            "Row 1 looks like data (it contains an email address), but the first row must be the header row naming the columns.",
            rejected.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@fabrikam.com", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_OverTheRowLimit_IsRejectedNamingTheLimit()
    {
        var text = new StringBuilder("Email,DisplayName,InviteContactUsUrl\n");
        for (var i = 0; i < 11; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"g{i}@fabrikam.com,G,https://c.com\n");
        }

        var rejected = CsvBytes.Rejected(CsvBytes.Utf8(text.ToString()), maxRows: 10);

        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal(
            "The file has more than 10 invitation rows; the limit is 10 rows per file. Split it into files of at most " +
            "10 rows and upload each of them.",
            rejected.Detail);
    }

    [Fact]
    public void ReadRows_ExactlyAtTheRowLimit_IsAccepted()
    {
        var text = new StringBuilder("Email,DisplayName,InviteContactUsUrl\n");
        for (var i = 0; i < 10; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"g{i}@fabrikam.com,G,https://c.com\n");
        }

        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(text.ToString() + "\n\n"), maxRows: 10);

        Assert.Equal(10, rows.Count);
    }

    [Fact]
    public void ReadRows_QuoteThatNeverCloses_IsRejectedNamingTheRow()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\na@f.com,A,https://c.com\nb@f.com,\"B,https://c.com\nc@f.com,C,https://c.com\n"));

        Assert.Equal(
            "Row 3 has a cell that opens a quote (\") that is never closed, so everything after it would be read as " +
            "one cell. Close or remove the quote and save the file again.",
            rejected.Detail);
    }
}
