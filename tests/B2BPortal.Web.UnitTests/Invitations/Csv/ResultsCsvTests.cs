using System.Text;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class ResultsCsvTests
{
    private static async Task<byte[]> WriteAsync(params ResultRow[] rows)
    {
        using var output = new MemoryStream();
        await ResultsCsv.WriteAsync(output, rows.ToAsyncEnumerable(), CancellationToken.None);
        return output.ToArray();
    }

    [Fact]
    public async Task WriteAsync_StartsWithUtf8BomAndHeader()
    {
        var bytes = await WriteAsync();

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(
            "Row,Email,DisplayName,Status,Errors,LastError,UserId,RedeemUrl,InvitedAt (UTC),AcceptedAt (UTC)\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task WriteAsync_NameWithCommaAndAccents_StaysOneIntactCell()
    {
        var bytes = await WriteAsync(new ResultRow(2, "jm@fabrikam.de", "Müller, Jürgen", "Invited", null, null,
            "0b6a5c1e-0000-4000-8000-000000000001", "https://login.microsoftonline.com/redeem?x=1",
            new DateTime(2026, 11, 26, 17, 5, 9, DateTimeKind.Utc), null));

        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith(
            "2,jm@fabrikam.de,\"Müller, Jürgen\",Invited,,,0b6a5c1e-0000-4000-8000-000000000001," +
            "https://login.microsoftonline.com/redeem?x=1,2026-11-26 17:05:09,\r\n",
            text, StringComparison.Ordinal);
    }

    // CsvHelper quotes an escaped cell as well, as OWASP recommends.
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("+1 555 0100", "\"'+1 555 0100\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tcmd", "\"'\tcmd\"")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    public async Task WriteAsync_FormulaLikeDisplayName_IsEscaped(string displayName, string expectedCell)
    {
        var bytes = await WriteAsync(new ResultRow(5, "a@f.com", displayName, "Failed", null, null, null, null, null, null));

        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith($"\r\n5,a@f.com,{expectedCell},Failed,,,,,,\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ErrorsAndLastError_AreEscapedAndQuoted()
    {
        var bytes = await WriteAsync(new ResultRow(5, "a@f.com", "A", "Invalid",
            "Row 5, Email: 'x' is not valid; fix it", "=cmd|' /C calc'!A0", null, null, null, null));

        var line = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n")[1];
        Assert.Equal("5,a@f.com,A,Invalid,\"Row 5, Email: 'x' is not valid; fix it\",\"'=cmd|' /C calc'!A0\",,,,", line);
    }

    [Theory]
    [InlineData("Ann Lee")]
    [InlineData("O'Brien")]
    [InlineData("5th floor")]
    public async Task WriteAsync_OrdinaryName_IsWrittenAsIs(string displayName)
    {
        var bytes = await WriteAsync(new ResultRow(5, "a@f.com", displayName, "Queued", null, null, null, null, null, null));

        Assert.EndsWith($"\r\n5,a@f.com,{displayName},Queued,,,,,,\r\n", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Output_ReadsBackThroughTheCsvReaderIntact()
    {
        var bytes = await WriteAsync(
            new ResultRow(2, "jm@fabrikam.de", "Müller, Jürgen", "Accepted", null, null, null, null, null,
                new DateTime(2026, 11, 27, 8, 0, 0, DateTimeKind.Utc)),
            new ResultRow(3, "x@fabrikam.de", "-Eve \"the\" tester", "Failed", null, "Line one\nline two", null, null, null, null));

        using var reader = CsvHelper.CsvReader.Create(bytes, new CsvHelper.CsvReaderOptions());
        Assert.True(reader.Read());
        Assert.Equal("Müller, Jürgen", reader.GetString(2));
        Assert.Equal("2026-11-27 08:00:00", reader.GetString(9));
        Assert.True(reader.Read());
        Assert.Equal("'-Eve \"the\" tester", reader.GetString(2));
        Assert.Equal("Line one\nline two", reader.GetString(5));
        Assert.False(reader.Read());
    }
}
