using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class InvitationFileReaderTests
{
    private const string App = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";
    private const string Group1 = "0f9a4c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    private const string Group2 = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";

    [Fact]
    public void Open_MicrosoftLegacySample_ReadsEveryColumn()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            CsvBytes.LegacyHeader + "\r\n" +
            $"wharp@contoso.com,Walter Harp,{App},http://azure.microsoft.com/services/active-directory/,{App},{Group1},http://contoso.com/contact\r\n"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        Assert.Equal(
            ["Email", "DisplayName", "InviteContactUsUrl", "InviteAppID", "InviteAppResources", "InviteGroupResources", "InviteReplyURL"],
            file.Columns);
        var row = Assert.Single(rows);
        Assert.Equal(
            new InvitationRow(2, "wharp@contoso.com", "Walter Harp", "http://contoso.com/contact", App, App, Group1,
                "http://azure.microsoft.com/services/active-directory/", null, null, null),
            row);
    }

    [Fact]
    public void Open_LegacyHeaderInOtherCaseAndOrder_MapsByName()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "invitecontactusurl,DISPLAYNAME,InviteReplyURL,email\n" +
            "https://contoso.com/help,Ann Lee,https://myapps.microsoft.com,ann@fabrikam.com\n"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        var row = Assert.Single(rows);
        Assert.Equal("ann@fabrikam.com", row.Email);
        Assert.Equal("Ann Lee", row.DisplayName);
        Assert.Equal("https://contoso.com/help", row.ContactUsUrl);
        Assert.Equal("https://myapps.microsoft.com", row.RedirectUrl);
    }

    [Theory]
    [InlineData("Language")]
    [InlineData("InviteLanguage")]
    [InlineData("inviteLANGUAGE")]
    public void Open_LanguageColumnUnderEitherName_ReadsLanguage(string label)
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            $"Email,DisplayName,InviteContactUsUrl,{label}\nann@fabrikam.com,Ann Lee,https://contoso.com/help,pt-BR\n"));

        Assert.Contains("Language", file.Columns);
        Assert.Equal("pt-BR", Assert.Single(rows).Language);
    }

    [Fact]
    public void Open_LegacyWithOnlyRequiredColumns_LeavesOptionalCellsNull()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\nann@fabrikam.com,Ann Lee,https://contoso.com/help\n"));

        Assert.Equal(["Email", "DisplayName", "InviteContactUsUrl"], file.Columns);
        var row = Assert.Single(rows);
        Assert.Null(row.RedirectUrl);
        Assert.Null(row.AppIds);
        Assert.Null(row.GroupIds);
        Assert.Null(row.BrandingAppId);
        Assert.Null(row.Language);
        Assert.Null(row.SendEmail);
    }

    [Fact]
    public void Open_OptionalColumnsPresentButEmpty_AreNull()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            CsvBytes.LegacyHeader + ",Language\nann@fabrikam.com,Ann Lee,,,,,https://contoso.com/help,\n"));

        var row = Assert.Single(rows);
        Assert.Null(row.BrandingAppId);
        Assert.Null(row.RedirectUrl);
        Assert.Null(row.AppIds);
        Assert.Null(row.GroupIds);
        Assert.Null(row.Language);
    }

    [Fact]
    public void Open_MultiValueCellsWithSpacesSemicolonsAndQuotedCommas_KeepsWholeCell()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl,InviteAppResources,InviteGroupResources\n" +
            $"a@fabrikam.com,A,https://c.com,{App} {Group1},\"{Group1}, {Group2}\"\n" +
            $"b@fabrikam.com,B,https://c.com,\"{App};{Group2}\",{Group1};{Group2}\n"));

        Assert.Equal($"{App} {Group1}", rows[0].AppIds);
        Assert.Equal($"{Group1}, {Group2}", rows[0].GroupIds);
        Assert.Equal($"{App};{Group2}", rows[1].AppIds);
        Assert.Equal($"{Group1};{Group2}", rows[1].GroupIds);
        Assert.Equal([Group1, Group2], InvitationRowNormalizer.Normalize(rows[0]).GroupIds);
        Assert.Equal([Group1, Group2], InvitationRowNormalizer.Normalize(rows[1]).GroupIds);
    }

    [Fact]
    public void Open_EntraTemplateWithVersionLineAndExampleRow_SkipsThemAndCountsThemAsRows()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "version:v1.0\r\n" + CsvBytes.EntraHeader + "\r\nExample:,,,\r\n" +
            "ann@fabrikam.com,https://myapps.microsoft.com,false,Welcome to Contoso\r\n"));

        Assert.Equal(CsvFormat.Entra, file.Format);
        Assert.Equal(["inviteeEmail", "inviteRedirectURL", "sendEmail", "customizedMessageBody"], file.Columns);
        var row = Assert.Single(rows);
        Assert.Equal(
            new InvitationRow(4, "ann@fabrikam.com", null, null, null, null, null, "https://myapps.microsoft.com", null,
                "false", "Welcome to Contoso"),
            row);
    }

    [Fact]
    public void Open_EntraExampleRowWithSampleValues_IsSkipped()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "version:v1.0\n" + CsvBytes.EntraHeader + "\n" +
            "Example: someone@contoso.com,https://myapps.microsoft.com,true,Hello\n" +
            "ann@fabrikam.com,https://myapps.microsoft.com,,\n"));

        Assert.Equal("ann@fabrikam.com", Assert.Single(rows).Email);
        Assert.Equal(4, rows[0].RowNumber);
    }

    [Fact]
    public void Open_LocalizedEntraLabels_MatchOnBracketedPropertyNames()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "version:v1.0\n" +
            "Nachricht [customizedMessageBody],E-Mail-Adresse zum Einladen [inviteeEmail] Erforderlich," +
            "Umleitungs-URL [inviteRedirectURL] Erforderlich,Einladung senden (true oder false) [sendEmail],Kostenstelle\n" +
            "Hallo Jürgen,juergen@fabrikam.de,https://myapps.microsoft.com,true,4711\n"));

        Assert.Equal(CsvFormat.Entra, file.Format);
        var row = Assert.Single(rows);
        Assert.Equal("juergen@fabrikam.de", row.Email);
        Assert.Equal("https://myapps.microsoft.com", row.RedirectUrl);
        Assert.Equal("true", row.SendEmail);
        Assert.Equal("Hallo Jürgen", row.CustomMessage);
    }

    [Fact]
    public void Open_EntraBarePropertyNamesWithoutVersionLine_IsEntra()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "inviteeEmail,inviteRedirectURL\nann@fabrikam.com,https://myapps.microsoft.com\n"));

        Assert.Equal(CsvFormat.Entra, file.Format);
        Assert.Equal(2, Assert.Single(rows).RowNumber);
    }

    [Fact]
    public void Open_Utf8WithBom_ReadsHeaderAndAccents()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8WithBom(
            "Email,DisplayName,InviteContactUsUrl\r\njm@fabrikam.de,Jürgen Müller,https://c.com\r\n"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        Assert.Equal("Jürgen Müller", Assert.Single(rows).DisplayName);
        Assert.Equal("jm@fabrikam.de", rows[0].Email);
    }

    [Fact]
    public void Open_Utf8WithoutBom_ReadsAccents()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\njm@fabrikam.de,Jürgen Müller – Straße,https://c.com\n"));

        Assert.Equal("Jürgen Müller – Straße", Assert.Single(rows).DisplayName);
    }

    [Fact]
    public void Open_Utf16LeWithBomTabSeparated_ReadsExcelUnicodeText()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf16LeWithBom(
            "Email\tDisplayName\tInviteContactUsUrl\r\njm@fabrikam.de\tJürgen Müller\thttps://c.com\r\n" +
            "li@fabrikam.cn\t李小龍\thttps://c.com\r\n"));

        Assert.Equal('\t', file.Separator);
        Assert.Equal(CsvFormat.Legacy, file.Format);
        Assert.Equal(["Jürgen Müller", "李小龍"], rows.Select(r => r.DisplayName));
        Assert.Equal(["jm@fabrikam.de", "li@fabrikam.cn"], rows.Select(r => r.Email));
    }

    [Fact]
    public void Open_Utf16BeWithBom_Reads()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf16BeWithBom(
            "Email,DisplayName,InviteContactUsUrl\njm@fabrikam.de,Jürgen Müller,https://c.com\n"));

        Assert.Equal("Jürgen Müller", Assert.Single(rows).DisplayName);
    }

    [Fact]
    public void Open_Windows1252Bytes_NamesSurvive()
    {
        var bytes = CsvBytes.Windows1252(
            "Email;DisplayName;InviteContactUsUrl\r\njm@fabrikam.de;Jürgen Müller;https://c.com\r\n" +
            "fc@fabrikam.fr;François Côté – Säge;https://c.com\r\n");
        Assert.Contains((byte)0xFC, bytes); // ü as one byte: not UTF-8

        var (file, rows) = CsvBytes.Read(bytes);

        Assert.Equal(';', file.Separator);
        Assert.Equal(["Jürgen Müller", "François Côté – Säge"], rows.Select(r => r.DisplayName));
    }

    [Fact]
    public void Open_Windows1252AccentFarBeyondTheStartOfTheFile_IsStillDecoded()
    {
        var text = new System.Text.StringBuilder("Email,DisplayName,InviteContactUsUrl\r\n");
        for (var i = 0; i < 3000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"guest{i}@fabrikam.com,Guest Number {i},https://c.com\r\n");
        }

        text.Append("jm@fabrikam.de,Jürgen Müller,https://c.com\r\n");
        var bytes = CsvBytes.Windows1252(text.ToString());
        Assert.True(bytes.Length > 100_000);

        var (_, rows) = CsvBytes.Read(bytes);

        Assert.Equal(3001, rows.Count);
        Assert.Equal("Jürgen Müller", rows[^1].DisplayName);
        Assert.Equal(3002, rows[^1].RowNumber);
    }

    [Theory]
    [InlineData(";")]
    [InlineData("\t")]
    [InlineData(",")]
    [InlineData("|")]
    public void Open_Separator_IsDetected(string separator)
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            string.Join(separator, "Email", "DisplayName", "InviteContactUsUrl", "InviteAppResources") + "\n" +
            string.Join(separator, "ann@fabrikam.com", "\"Lee, Ann\"", "https://c.com", $"\"{App};{Group1}\"") + "\n"));

        Assert.Equal(separator[0], file.Separator);
        var row = Assert.Single(rows);
        Assert.Equal("Lee, Ann", row.DisplayName);
        Assert.Equal($"{App};{Group1}", row.AppIds);
    }

    [Fact]
    public void Open_ExcelSeparatorHintLine_IsHonouredAndNotCountedAsARow()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "sep=;\r\nEmail;DisplayName;InviteContactUsUrl\r\nann@fabrikam.com;Lee, Ann;https://c.com\r\n"));

        Assert.Equal(';', file.Separator);
        var row = Assert.Single(rows);
        Assert.Equal("Lee, Ann", row.DisplayName);
        Assert.Equal(2, row.RowNumber);
    }

    [Theory]
    [InlineData(" sep=;  \n")]
    [InlineData("\r\nsep=;\r\n")]
    public void Open_SepLineWithSpacesOrBelowABlankLine_IsStillNotARow(string hint)
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            hint + "Email;DisplayName;InviteContactUsUrl\nann@fabrikam.com;Lee, Ann;https://c.com\n"));

        Assert.Equal(';', file.Separator);
        Assert.Equal(hint.StartsWith('\r') ? 3 : 2, Assert.Single(rows).RowNumber);
    }

    /// <summary>Files whose cells hold the other separators, as tools write them: the last row read and its separator.</summary>
    public static TheoryData<string, byte[], char, InvitationRow> FilesWithOtherSeparatorsInCells => new()
    {
        {
            "Entra template, version line above a semicolon header",
            CsvBytes.Utf8("version:v1.0\n" + CsvBytes.EntraHeader.Replace(',', ';') + "\n" +
                "ann@fabrikam.com;https://myapps.microsoft.com;true;Hello Ann, welcome, and see you soon\n"),
            ';',
            new InvitationRow(3, "ann@fabrikam.com", null, null, null, null, null, "https://myapps.microsoft.com", null, "true",
                "Hello Ann, welcome, and see you soon")
        },
        {
            "Entra template as Unicode text from Excel, version line above a tab header",
            CsvBytes.Utf16LeWithBom("version:v1.0\r\n" + CsvBytes.EntraHeader.Replace(',', '\t') + "\r\n" +
                "ann@fabrikam.com\thttps://myapps.microsoft.com\tfalse\tHi; bye, Ann\r\n"),
            '\t',
            new InvitationRow(3, "ann@fabrikam.com", null, null, null, null, null, "https://myapps.microsoft.com", null, "false", "Hi; bye, Ann")
        },
        {
            "European Excel: semicolons, commas unquoted in names",
            CsvBytes.Windows1252("Email;DisplayName;InviteContactUsUrl\r\njm@fabrikam.de;Müller, Jürgen, Dr.;https://c.com\r\n" +
                "an@fabrikam.de;Nowak, Anna;https://c.com\r\n"),
            ';',
            new InvitationRow(3, "an@fabrikam.de", "Nowak, Anna", "https://c.com", null, null, null, null, null, null, null)
        },
        {
            "Commas, every row with semicolon-separated IDs",
            CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl,InviteGroupResources\n" + string.Concat(Enumerable.Range(0, 40).Select(i =>
                $"g{i}@fabrikam.com,G,https://c.com,{Group1};{Group2};{App}\n"))),
            ',',
            new InvitationRow(41, "g39@fabrikam.com", "G", "https://c.com", null, null, $"{Group1};{Group2};{App}", null, null, null, null)
        },
        {
            "Quoted header cells with commas, semicolons between",
            CsvBytes.Utf8("\"Email\";\"DisplayName\";\"InviteContactUsUrl\";\"Notes, if any\"\na@fabrikam.com;Ann;https://c.com;\"met, twice\"\n"),
            ';',
            new InvitationRow(2, "a@fabrikam.com", "Ann", "https://c.com", null, null, null, null, null, null, null)
        },
    };

    [Theory]
    [MemberData(nameof(FilesWithOtherSeparatorsInCells))]
    public void Open_OtherSeparatorsInCells_DetectsTheFilesSeparator(string file, byte[] bytes, char separator, InvitationRow last)
    {
        var (opened, rows) = CsvBytes.Read(bytes);

        Assert.True(separator == opened.Separator, $"{file}: read with '{opened.Separator}', not '{separator}'");
        Assert.Equal(last, rows[^1]);
    }

    [Fact]
    public void Open_QuotedCellsWithSeparatorsQuotesAndLineBreaks_AreOneCellAndOneRow()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "version:v1.0\r\n" + CsvBytes.EntraHeader + "\r\n" +
            "ann@fabrikam.com,https://myapps.microsoft.com,true,\"Hello Ann,\r\nwelcome to \"\"Contoso\"\".\r\nBye\"\r\n" +
            "bob@fabrikam.com,https://myapps.microsoft.com,false,\"Hi, Bob\"\r\n"));

        Assert.Equal(2, rows.Count);
        Assert.Equal("Hello Ann,\r\nwelcome to \"Contoso\".\r\nBye", rows[0].CustomMessage);
        Assert.Equal(3, rows[0].RowNumber);
        Assert.Equal("Hi, Bob", rows[1].CustomMessage);
        Assert.Equal(4, rows[1].RowNumber); // the three-line cell is one spreadsheet row
    }

    [Fact]
    public void Open_CrLfLfAndBlankLines_RowNumbersMatchTheSpreadsheet()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\r\n" +
            "a@fabrikam.com,A,https://c.com\r\n" +
            "\r\n" +
            ",,\r\n" +
            "b@fabrikam.com,B,https://c.com\n" +
            "c@fabrikam.com,C,https://c.com"));

        Assert.Equal(["a@fabrikam.com", "b@fabrikam.com", "c@fabrikam.com"], rows.Select(r => r.Email));
        Assert.Equal([2, 5, 6], rows.Select(r => r.RowNumber));
    }

    [Fact]
    public void Open_TrailingBlankLines_AreIgnored()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\r\na@fabrikam.com,A,https://c.com\r\n\r\n\r\n,,\r\n  \r\n"));

        Assert.Single(rows);
    }

    [Fact]
    public void Open_SurroundingWhitespace_IsTrimmedInsideAndOutsideQuotes()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "  Email , DisplayName ,\tInviteContactUsUrl\n" +
            "  ann@fabrikam.com  ,\" Ann Lee \",\thttps://c.com \n"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        var row = Assert.Single(rows);
        Assert.Equal("ann@fabrikam.com", row.Email);
        Assert.Equal("Ann Lee", row.DisplayName);
        Assert.Equal("https://c.com", row.ContactUsUrl);
    }

    [Fact]
    public void Open_ShortRowsAndExtraColumns_AreTolerated()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl,Notes\n" +
            "a@fabrikam.com,A\n" +
            "b@fabrikam.com,B,https://c.com,met at conference,extra\n"));

        Assert.Null(rows[0].ContactUsUrl);
        Assert.Equal("https://c.com", rows[1].ContactUsUrl);
    }

    [Fact]
    public void ReadRows_SecondEnumeration_Throws()
    {
        using var stream = new NonSeekableStream(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\na@f.com,A,https://c.com\n"));
        using var file = InvitationFileReader.Open(stream, InvitationFileOptions.Default);
        _ = file.ReadRows().ToList();

        Assert.Throws<InvalidOperationException>(() => file.ReadRows().ToList());
    }

    [Fact]
    public async Task OpenAsync_ReadRowsAsync_ReadsLikeTheSynchronousReader()
    {
        await using var stream = new MemoryStream(CsvBytes.Utf16LeWithBom(
            "version:v1.0\r\n" + CsvBytes.EntraHeader + "\r\nExample:,,,\r\nann@fabrikam.com,https://myapps.microsoft.com,no,\r\n"));
        await using var file = await InvitationFileReader.OpenAsync(stream, InvitationFileOptions.Default);

        var rows = new List<InvitationRow>();
        await foreach (var row in file.ReadRowsAsync())
        {
            rows.Add(row);
        }

        Assert.Equal(CsvFormat.Entra, file.Format);
        Assert.Equal(4, Assert.Single(rows).RowNumber);
        Assert.Equal("no", rows[0].SendEmail);
    }

    [Fact]
    public async Task OpenAsync_RequestBodyThatForbidsSynchronousReads_ReadsWindows1252RowsAsynchronously()
    {
        var text = new System.Text.StringBuilder("Email;DisplayName;InviteContactUsUrl\r\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"g{i}@fabrikam.de;Jürgen Müller {i};https://c.com\r\n");
        }

        await using var body = new AsyncOnlyStream(CsvBytes.Windows1252(text.ToString()));
        var file = await InvitationFileReader.OpenAsync(body, InvitationFileOptions.Default);
        var rows = new List<InvitationRow>();
        await using (file)
        {
            await foreach (var row in file.ReadRowsAsync())
            {
                rows.Add(row);
            }
        }

        Assert.Equal(2000, rows.Count);
        Assert.Equal("Jürgen Müller 1999", rows[^1].DisplayName);
        Assert.False(body.Disposed); // the caller owns the upload stream
    }

    [Fact]
    public void Dispose_LeavesTheCallersStreamOpen()
    {
        using var stream = new MemoryStream(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\na@f.com,A,https://c.com\n"));
        using (var file = InvitationFileReader.Open(stream, InvitationFileOptions.Default))
        {
            Assert.Single(file.ReadRows());
        }

        Assert.True(stream.CanRead);
    }

    [Fact]
    public void Open_BlankLinesBeforeTheHeader_CountAsRows()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "\r\n\r\nEmail,DisplayName,InviteContactUsUrl\r\na@fabrikam.com,A,https://c.com\r\n"));

        Assert.Equal(4, Assert.Single(rows).RowNumber);
    }

    [Fact]
    public void Open_EntraTemplateResavedByExcelWithSemicolons_StillSkipsVersionAndExampleRows()
    {
        // Excel pads every line to the column count when it saves the template again.
        var (file, rows) = CsvBytes.Read(CsvBytes.Windows1252(
            "version:v1.0;;;\r\n" + CsvBytes.EntraHeader.Replace(',', ';') + "\r\nExample:;;;\r\n" +
            "jm@fabrikam.de;https://myapps.microsoft.com;TRUE;Grüße aus München\r\n;;;\r\n;;;\r\n"));

        Assert.Equal(CsvFormat.Entra, file.Format);
        Assert.Equal(';', file.Separator);
        var row = Assert.Single(rows);
        Assert.Equal(4, row.RowNumber);
        Assert.Equal("Grüße aus München", row.CustomMessage);
    }

    [Fact]
    public void Open_FullyQuotedHeaderAndCells_AreUnquoted()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "\"Email\";\"DisplayName\";\"InviteContactUsUrl\"\n\"a@fabrikam.com\";\"Lee; Ann\";\"https://c.com\"\n"));

        Assert.Equal(';', file.Separator);
        Assert.Equal("Lee; Ann", Assert.Single(rows).DisplayName);
    }

    [Fact]
    public void ReadRows_UnclosedQuoteInAHugeFile_IsRejectedInsteadOfReadAsOneCell()
    {
        var text = new System.Text.StringBuilder("Email,DisplayName,InviteContactUsUrl\na@fabrikam.com,\"A,https://c.com\n");
        for (var i = 0; i < 40_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"g{i}@fabrikam.com,G,https://c.com\n");
        }

        var rejected = CsvBytes.Rejected(CsvBytes.Utf8(text.ToString()));

        // Past 1 MB the reader cannot tell a quote that swallowed the file from one huge cell: it names the row and both fixes.
        Assert.Equal(
            "Row 2 is longer than the 1 MB a row may have, so it cannot be one guest's row: a cell in it opens a quote (\") " +
            "that is never closed, so the rest of the file runs into it, or a cell holds far more than a name, an address or " +
            "a message. Close or remove the quote, or shorten the cell, and save the file again.",
            rejected.Detail);
    }

    [Fact]
    public void ReadRows_OneCellOfFiveMegabytes_IsRejectedNamingTheRowAndTheLimit()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8($"Email,DisplayName,InviteContactUsUrl\na@fabrikam.com,{new string('A', 5 * 1024 * 1024)},https://c.com\n"));

        Assert.StartsWith("Row 2 is longer than the 1 MB a row may have", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TitleLineAboveTheHeader_IsRejectedNamingTheRowToDelete()
    {
        var rejected = CsvBytes.Rejected(CsvBytes.Utf8("Partner guests, Q3\n\nNotes\nEmail,DisplayName,InviteContactUsUrl\na@fabrikam.com,A,https://c.com\n"));

        Assert.Equal(
            "Row 4 is the header row, but rows 1 to 3 above it are not part of the list (a title or a note?). The header " +
            "row must be the first row of the file: delete rows 1 to 3 and upload the file again.",
            rejected.Detail);
    }

    [Fact]
    public void Open_HeaderCellsWithAByteOrderMarkOrZeroWidthSpace_AreRecognised()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8WithBom("\uFEFFEmail,Display\u200BName,InviteContactUsUrl\na@fabrikam.com,A,https://c.com\n"));

        Assert.Equal(CsvFormat.Legacy, file.Format);
        Assert.Equal("a@fabrikam.com", Assert.Single(rows).Email);
    }

    [Fact]
    public void Open_AFewStrayControlCharactersInAShortFile_IsReadSoTheRowCheckCanNameThem()
    {
        var (_, rows) = CsvBytes.Read(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\na@fabrikam.com,Ann\u0007\u001bLee,https://c.com\n"));

        Assert.Equal("Ann\u0007\u001bLee", Assert.Single(rows).DisplayName);
    }
}
