using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Parser;
using B2BPortal.Web.Api;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Hosting;
using B2BPortal.Web.UnitTests.Invitations.Csv;
using CsvHelper;

namespace B2BPortal.Web.Tests.Security;

/// <summary>A portal whose upload limit is small enough to cross in a test (8 MB) and large enough for a 5 MB cell.</summary>
public sealed class CorpusPortalFactory : PortalFactory
{
    public const long MaxFileBytes = 8 * 1024 * 1024;

    public CorpusPortalFactory() => With("Portal:Upload:MaxFileBytes", MaxFileBytes.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// Issue 11's bad-input corpus: hostile and malformed files through <c>POST /api/v1/batches</c> and the Upload page,
/// and malformed JSON bodies through the other calls. Every answer is below 500; a refused file is a problem whose
/// detail names what is wrong and stores nothing; an accepted file stores exactly its rows, and each invalid row carries
/// an error naming its row and column.
/// </summary>
public sealed class BadInputCorpusTests(CorpusPortalFactory portal) : IClassFixture<CorpusPortalFactory>
{
    private const string Legacy = "Email,DisplayName,InviteContactUsUrl";
    private const string Contact = "https://partner.example/contact";
    private const string Entra = "inviteeEmail,inviteRedirectURL,sendEmail,customizedMessageBody";

    /// <summary>An address no other case (or earlier run in this database) uses, so no row is "already invited".</summary>
    private static string U(string local) => $"{local}.{Guid.NewGuid():N}@partner.example";

    private static string Row(string? email = null, string name = "Guest Name") => $"{email ?? U("g")},{name},{Contact}";

    private static byte[] Utf8(string text) => CsvBytes.Utf8(text);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>What a case must produce.</summary>
    private abstract record Expect;

    /// <summary>Refused whole: this status, a detail containing each fragment, nothing stored.</summary>
    private sealed record Refused(HttpStatusCode Status, params string[] DetailContains) : Expect;

    /// <summary>
    /// Stored: this many rows and valid rows; each (row, column, fragment) is an error of that row; <paramref name="Check"/>
    /// looks at the stored rows (ordered by row number) and batch.
    /// </summary>
    private sealed record Accepted(
        int TotalRows, int ValidRows, (int Row, string Column, string Fragment)[]? Errors = null,
        Action<Batch, List<Invitation>>? Check = null) : Expect;

    private sealed record CorpusCase(Func<byte[]> Bytes, Expect Expect, string FileName = "partners.csv");

    private static readonly Dictionary<string, CorpusCase> _corpus = BuildCorpus();

    public static TheoryData<string> CaseNames() => [.. _corpus.Keys];

    private static Dictionary<string, CorpusCase> BuildCorpus()
    {
        var corpus = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);

        // ---- Huge lines and cells.
        corpus["huge-5mb-single-cell"] = new(
            () => Utf8($"{Legacy}\r\n{U("huge")},{new string('A', 5 * 1024 * 1024)},{Contact}\r\n{Row()}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "Row 2", "longer than", "1 MB"));
        corpus["huge-5mb-quoted-cell"] = new(
            () => Utf8($"{Legacy}\r\n{U("huge")},\"{new string('B', 5 * 1024 * 1024)}\",{Contact}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "Row 2", "longer than", "1 MB"));
        corpus["row-with-100000-extra-cells"] = new(
            () => Utf8($"{Legacy}\r\n{Row()}{new string(',', 100_000)}\r\n"),
            new Accepted(1, 1));
        corpus["display-name-300-characters"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: new string('N', 300))}\r\n"),
            new Accepted(1, 0, [(2, "DisplayName", "300 characters long")]));
        corpus["email-10000-characters"] = new(
            () => Utf8($"{Legacy}\r\n{new string('e', 10_000)}@partner.example,Long,{Contact}\r\n"),
            new Accepted(1, 0, [(2, "Email", "characters long")]));

        // ---- Quotes.
        corpus["unclosed-quote-swallows-the-rest"] = new(
            () => Utf8($"{Legacy}\r\n{U("q")},\"Unclosed Name,{Contact}\r\n{Row()}\r\n{Row()}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "Row 2", "quote", "never closed"));
        corpus["deeply-quoted-cell"] = new(
            () => Utf8($"{Legacy}\r\n{U("dq")},\"{new string('"', 64)}Deep{new string('"', 64)}\",{Contact}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal(new string('"', 32) + "Deep" + new string('"', 32), rows[0].DisplayName)));
        corpus["stray-quote-inside-unquoted-cell"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: "Jo\"hn \"The Boss\" Smith")}\r\n"),
            new Accepted(1, 1));
        corpus["text-after-closing-quote"] = new(
            () => Utf8($"{Legacy}\r\n{U("tq")},\"Anna\" Lee,{Contact}\r\n"),
            new Accepted(1, 1));
        corpus["quoted-cell-with-many-line-breaks"] = new(
            () => Utf8($"{Legacy}\r\n{U("lb")},\"{string.Concat(Enumerable.Repeat("line\r\n", 500))}end\",{Contact}\r\n{Row()}\r\n"),
            new Accepted(2, 1, [(2, "DisplayName", "invisible control character")], Check: (_, rows) => Assert.Equal(3, rows[1].RowNumber)));

        // ---- Control characters.
        corpus["bell-escape-and-delete-in-name"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: "Ann\u0007\u001b[31mLee\u007f")}\r\n"),
            new Accepted(1, 0, [(2, "DisplayName", "invisible control character")]));
        corpus["nul-byte-near-the-start"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: "Ann\0Lee")}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "not text"));
        corpus["nul-in-name-after-the-first-64-kb"] = new(
            () => Utf8($"{Legacy}\r\n{string.Concat(Enumerable.Range(0, 1_500).Select(_ => Row() + "\r\n"))}{Row(name: "Ann\0Lee")}\r\n"),
            new Accepted(1_501, 1_500, [(1_502, "DisplayName", "invisible control character")],
                Check: (_, rows) => Assert.DoesNotContain('\0', rows[^1].DisplayName!)));
        corpus["nul-in-email-of-a-utf16-file"] = new(
            () => CsvBytes.Utf16LeWithBom($"{Legacy}\r\nann\0lee@partner.example,Ann Lee,{Contact}\r\n{Row()}\r\n"),
            new Accepted(2, 1, [(2, "Email", "invisible control character")],
                Check: (_, rows) => Assert.DoesNotContain('\0', rows[0].Email)));
        corpus["nul-in-message-and-url-of-a-utf16-entra-file"] = new(
            () => CsvBytes.Utf16LeWithBom($"{Entra}\r\n{U("m")},https://myapps\0.microsoft.com,true,Hello\0there\r\n"),
            new Accepted(1, 0, [(2, "customizedMessageBody", "invisible control character"), (2, "inviteRedirectURL", "full web address")],
                Check: (_, rows) => Assert.DoesNotContain('\0', rows[0].CustomMessage + rows[0].RedirectUrl)));
        corpus["line-separator-and-form-feed-in-name"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: "Ann\u2028Lee\fX")}\r\n"),
            new Accepted(1, 0, [(2, "DisplayName", "invisible")]));

        // ---- Right-to-left overrides and other invisible formatting.
        corpus["rtl-override-in-display-name"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: "Invoice \u202Efdp.exe")}\r\n"),
            new Accepted(1, 0, [(2, "DisplayName", "right-to-left")]));
        corpus["rtl-override-in-email"] = new(
            () => Utf8($"{Legacy}\r\nann\u202Eeel@partner.example,Ann,{Contact}\r\n"),
            new Accepted(1, 0, [(2, "Email", "invisible")]));
        corpus["zero-width-space-in-email"] = new(
            () => Utf8($"{Legacy}\r\nann\u200B.lee@partner.example,Ann,{Contact}\r\n"),
            new Accepted(1, 0, [(2, "Email", "invisible")]));
        corpus["rtl-override-in-file-name"] = new(
            () => Utf8($"{Legacy}\r\n{Row()}\r\n"),
            new Accepted(1, 1, Check: (batch, _) =>
            {
                Assert.DoesNotContain('\u202E', batch.FileName);
                Assert.Equal("partnersvsc.exe", batch.FileName);
            }),
            FileName: "partners\u202Evsc.exe");
        corpus["arabic-and-hebrew-names-stay-valid"] = new(
            () => Utf8($"{Legacy}\r\n{Row(name: "محمد الأحمد")}\r\n{Row(name: "דוד לוי")}\r\n"),
            new Accepted(2, 2));

        // ---- Formula payloads: stored as written (the API shows them), escaped in results.csv.
        corpus["formula-payloads"] = new(
            () => Utf8(
                $"{Legacy}\r\n" +
                $"{U("f1")},\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",{Contact}\r\n" +
                $"{U("f2")},+SUM(1+1)*cmd|' /C calc'!A0,{Contact}\r\n" +
                $"{U("f3")},-2+3+cmd|' /C calc'!A0,{Contact}\r\n" +
                $"{U("f4")},@SUM(1+1),{Contact}\r\n" +
                $"{U("f5")},\"\t=1+1\",{Contact}\r\n" +
                $"{U("f6")},\"\r=1+1\",{Contact}\r\n" +
                $"=1+1@partner.example,Formula Address,{Contact}\r\n"),
            new Accepted(7, 6, [(8, "Email", "'='")], Check: (_, rows) =>
            {
                Assert.Equal("=HYPERLINK(\"http://evil.example\",\"Click\")", rows[0].DisplayName);
                Assert.Equal("+SUM(1+1)*cmd|' /C calc'!A0", rows[1].DisplayName);
                Assert.Equal("=1+1", rows[4].DisplayName);
            }));

        // ---- Many rows.
        corpus["10000-duplicate-rows"] = new(
            () =>
            {
                var row = Row(U("dup"), "Same Guest") + "\r\n";
                return Utf8(Legacy + "\r\n" + string.Concat(Enumerable.Repeat(row, 10_000)));
            },
            new Accepted(10_000, 1, [(3, "Email", "also appears in row 2"), (10_001, "Email", "also appears in row 2")]));

        // ---- Header tricks.
        corpus["header-names-email-twice"] = new(
            () => Utf8($"Email,DisplayName,E-mail,InviteContactUsUrl\r\n{U("a")},A,{U("b")},{Contact}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "row 1", "Email column twice", "column A", "column C"));
        corpus["header-only"] = new(
            () => Utf8($"{Legacy}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "header row but no invitation rows"));
        corpus["bom-then-header"] = new(
            () => CsvBytes.Utf8WithBom($"{Legacy}\r\n{Row()}\r\n"),
            new Accepted(1, 1));
        corpus["two-boms-then-header"] = new(
            () => Concat([0xEF, 0xBB, 0xBF], CsvBytes.Utf8WithBom($"{Legacy}\r\n{Row()}\r\n")),
            new Accepted(1, 1));
        corpus["zero-width-space-in-header-name"] = new(
            () => Utf8($"\u200BEmail,DisplayName,InviteContactUsUrl\u200B\r\n{Row()}\r\n"),
            new Accepted(1, 1));
        corpus["header-with-spaces-and-odd-case"] = new(
            () => Utf8($"  EMAIL  , displayname ,Invite Contact Us URL   \r\n{Row()}\r\n"),
            new Accepted(1, 1));
        corpus["header-without-email-column"] = new(
            () => Utf8($"DisplayName,InviteContactUsUrl\r\nAnn,{Contact}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "row 1", "no Email column", "Add the missing column"));
        corpus["header-with-unknown-columns"] = new(
            () => Utf8($"Phone,Email,Notes,DisplayName,=cmd|' /C calc'!A0,InviteContactUsUrl\r\n+1 555,{U("x")},n,Ann,x,{Contact}\r\n"),
            new Accepted(1, 1));
        corpus["title-line-above-the-header"] = new(
            () => Utf8($"Partner guests for Q3\r\n{Legacy}\r\n{Row()}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "Row 2 is the header row", "delete row 1"));
        corpus["no-header-data-first"] = new(
            () => Utf8($"{Row()}\r\n{Row()}\r\n"),
            new Refused(HttpStatusCode.BadRequest, "Row 1 looks like data"));
        corpus["semicolon-separated"] = new(
            () => Utf8($"Email;DisplayName;InviteContactUsUrl\r\n{U("s")};\"Müller; Jürgen\";{Contact}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal("Müller; Jürgen", rows[0].DisplayName)));
        corpus["tab-separated"] = new(
            () => Utf8($"Email\tDisplayName\tInviteContactUsUrl\r\n{U("t")}\tAnn, Lee\t{Contact}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal("Ann, Lee", rows[0].DisplayName)));
        corpus["excel-sep-hint-line"] = new(
            () => Utf8($"sep=;\r\nEmail;DisplayName;InviteContactUsUrl\r\n{U("h")};Ann;{Contact}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal(2, rows[0].RowNumber)));
        corpus["entra-template-with-only-the-example-row"] = new(
            () => Utf8($"version:v1.0\r\n{CsvBytes.EntraHeader}\r\nExample:,https://myapps.microsoft.com,true,Hi\r\n"),
            new Refused(HttpStatusCode.BadRequest, "no invitation rows", "Example: row"));

        // ---- Encodings.
        const string Names = "Jürgen Müller";
        corpus["utf16le-with-bom"] = new(
            () => CsvBytes.Utf16LeWithBom($"{Legacy}\r\n{Row(name: Names)}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal(Names, rows[0].DisplayName)));
        corpus["utf16be-with-bom"] = new(
            () => CsvBytes.Utf16BeWithBom($"{Legacy}\r\n{Row(name: Names)}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal(Names, rows[0].DisplayName)));
        corpus["utf16le-without-bom"] = new(
            () => Encoding.Unicode.GetBytes($"{Legacy}\r\n{Row(name: Names)}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal(Names, rows[0].DisplayName)));
        corpus["utf16be-without-bom"] = new(
            () => Encoding.BigEndianUnicode.GetBytes($"{Legacy}\r\n{Row(name: Names)}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal(Names, rows[0].DisplayName)));
        corpus["utf16le-with-odd-byte-count"] = new(
            () => Concat(CsvBytes.Utf16LeWithBom($"{Legacy}\r\n{Row(name: Names)}\r\n"), [0x41]),
            new Accepted(2, 1, [(3, "Email", "not a valid address")]));
        corpus["windows-1252-accented-names"] = new(
            () => CsvBytes.Windows1252($"{Legacy}\r\n{Row(name: "François Ægir Øster – Señor")}\r\n"),
            new Accepted(1, 1, Check: (_, rows) => Assert.Equal("François Ægir Øster – Señor", rows[0].DisplayName)));
        corpus["invalid-utf8-sequences"] = new(
            () => Concat(Utf8($"{Legacy}\r\n{U("b")},J"), [0xC3, 0x28, 0x80, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF8], Utf8($"rgen,{Contact}\r\n")),
            new Accepted(1, 1, Check: (_, rows) => Assert.DoesNotContain('\uFFFD', rows[0].DisplayName!)));
        corpus["utf8-cut-inside-a-character-at-the-end"] = new(
            () => Concat(Utf8($"{Legacy}\r\n{Row(name: "Ann")}\r\n{U("c")},Jo"), [0xE2, 0x82]),
            new Accepted(2, 1, [(3, "InviteContactUsUrl", "the cell is empty")]));

        // ---- Not CSV at all.
        corpus["empty-file"] = new(() => [], new Refused(HttpStatusCode.BadRequest, "empty (0 bytes)"));
        corpus["only-whitespace"] = new(() => Utf8("   \r\n\t\r\n  \n\n   "), new Refused(HttpStatusCode.BadRequest, "no text"));
        corpus["only-separators"] = new(() => Utf8(",,,\r\n;;;\r\n,,,\r\n"), new Refused(HttpStatusCode.BadRequest, "row 2", "names none of the columns"));
        corpus["png-image"] = new(
            () => Concat([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], RandomBytes(2048)),
            new Refused(HttpStatusCode.BadRequest, "not text", "CSV"),
            FileName: "partners.png");
        corpus["zip-archive"] = new(
            () => Concat([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], RandomBytes(512)),
            new Refused(HttpStatusCode.BadRequest, "zip file", "CSV UTF-8"),
            FileName: "partners.csv");
        corpus["over-the-size-limit"] = new(
            () => Utf8($"{Legacy}\r\n" + string.Concat(Enumerable.Repeat(Row("same@partner.example") + "\r\n", (int)(CorpusPortalFactory.MaxFileBytes / 60) + 1_000))),
            new Refused(HttpStatusCode.RequestEntityTooLarge, "the limit is 8 MB", "Split the list"));

        // ---- Line endings and row shapes.
        corpus["cr-only-line-endings"] = new(
            () => Utf8($"{Legacy}\r{Row()}\r{Row()}\r"),
            new Accepted(2, 2, Check: (_, rows) => Assert.Equal([2, 3], rows.Select(r => r.RowNumber))));
        corpus["mixed-line-endings"] = new(
            () => Utf8($"{Legacy}\n{Row()}\r\n{Row()}\r{Row()}\n"),
            new Accepted(3, 3, Check: (_, rows) => Assert.Equal([2, 3, 4], rows.Select(r => r.RowNumber))));
        corpus["mixed-row-lengths"] = new(
            () => Utf8($"{Legacy}\r\n{U("short")}\r\n{U("two")},Two Cells\r\n{Row()},extra,cells,here\r\n\r\n,,\r\n{Row()}\r\n"),
            new Accepted(4, 2, [(2, "DisplayName", "the cell is empty"), (2, "InviteContactUsUrl", "the cell is empty"), (3, "InviteContactUsUrl", "the cell is empty")],
                Check: (_, rows) => Assert.Equal([2, 3, 4, 7], rows.Select(r => r.RowNumber))));
        corpus["html-and-script-in-cells"] = new(
            () => Utf8($"{Legacy}\r\n{U("x")},\"<script>alert('x')</script><img src=x onerror=alert(1)>\",{Contact}\r\n<b>@partner.example,B,javascript:alert(1)\r\n"),
            new Accepted(2, 1, [(3, "Email", "Email"), (3, "InviteContactUsUrl", "full web address")]));
        return corpus;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(11).NextBytes(bytes);
        return bytes;
    }

    private PortalDbContext CreateContext() => portal.Services.CreateScope().ServiceProvider.GetRequiredService<PortalDbContext>();

    private async Task<(int Batches, int Invitations)> StoredAsync()
    {
        await using var db = CreateContext();
        return (await db.Batches.CountAsync(), await db.Invitations.CountAsync());
    }

    private static MultipartFormDataContent FileForm(byte[] bytes, string fileName, string field = "file")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Upload_BadInputCorpusFile_AnswersBelow500NamingTheProblemAndStoresWholeOrNothing(string name)
    {
        var corpusCase = _corpus[name];
        using var client = await portal.CreateAutomationClientAsync();
        var before = await StoredAsync();

        var response = await client.PostAsync("/api/v1/batches?submit=false", FileForm(corpusCase.Bytes(), corpusCase.FileName));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {body}");
        switch (corpusCase.Expect)
        {
            case Refused refused:
                Assert.True(refused.Status == response.StatusCode, $"{name}: expected {(int)refused.Status}, got {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
                foreach (var fragment in refused.DetailContains)
                {
                    Assert.True(detail.Contains(fragment, StringComparison.Ordinal), $"{name}: the detail does not say '{fragment}': {detail}");
                }

                Assert.Equal(before, await StoredAsync());
                break;

            case Accepted accepted:
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{name}: {(int)response.StatusCode} {body}");
                var created = JsonDocument.Parse(body).RootElement;
                var id = Guid.Parse(created.GetProperty("id").GetString()!);
                await AssertStoredWholeAsync(name, id, created, accepted, before);
                break;
        }
    }

    private async Task AssertStoredWholeAsync(string name, Guid id, JsonElement created, Accepted accepted, (int Batches, int Invitations) before)
    {
        await using var db = CreateContext();
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id);
        var rows = await db.Invitations.AsNoTracking().Where(i => i.BatchId == id).OrderBy(i => i.RowNumber).ToListAsync();

        Assert.Equal((before.Batches + 1, before.Invitations + rows.Count), await StoredAsync());
        Assert.Equal(accepted.TotalRows, created.GetProperty("totalRows").GetInt32());
        Assert.Equal(accepted.ValidRows, created.GetProperty("validRows").GetInt32());
        Assert.Equal(batch.TotalRows, rows.Count);
        Assert.Equal(accepted.TotalRows, batch.TotalRows);
        Assert.Equal(batch.InvalidRows, rows.Count(r => r.Status == InvitationStatus.Invalid));
        Assert.Equal(batch.FileName, created.GetProperty("fileName").GetString());

        foreach (var row in rows)
        {
            var errors = row.Errors;
            Assert.Equal(row.Status == InvitationStatus.Invalid, errors.Count > 0);
            foreach (var error in errors)
            {
                // Every message names its row and column, then says what is wrong (and never carries a control character).
                Assert.StartsWith($"Row {row.RowNumber}, {error.Column}: ", error.Message, StringComparison.Ordinal);
                Assert.True(error.Message.Length > $"Row {row.RowNumber}, {error.Column}: ".Length + 10, $"{name}: {error.Message}");
                Assert.DoesNotContain(error.Message, char.IsControl);
            }
        }

        foreach (var (rowNumber, column, fragment) in accepted.Errors ?? [])
        {
            var row = rows.SingleOrDefault(r => r.RowNumber == rowNumber);
            Assert.True(row is not null, $"{name}: no row {rowNumber} stored (rows {string.Join(", ", rows.Take(20).Select(r => r.RowNumber))})");
            var errors = row.Errors;
            Assert.True(
                errors.Any(e => e.Column == column && e.Message.Contains(fragment, StringComparison.Ordinal)),
                $"{name}: row {rowNumber} has no {column} error saying '{fragment}': {string.Join(" | ", errors.Select(e => e.Message))}");
        }

        accepted.Check?.Invoke(batch, rows);
    }

    [Fact]
    public async Task ResultsCsv_FormulaPayloads_AreStoredAsWrittenAndExportedEscaped()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var formulas = new[] { "=HYPERLINK(\"http://evil.example\",\"Click\")", "+SUM(1+1)", "-2+3", "@SUM(1+1)", "=cmd|' /C calc'!A0" };
        var text = Legacy + "\r\n" + string.Concat(formulas.Select(f => $"{U("f")},\"{f.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{Contact}\r\n")) +
            $"{U("tab")},\"\t=1+1\",{Contact}\r\n";
        var response = await client.PostAsync("/api/v1/batches?submit=false", FileForm(Utf8(text), "formulas.csv"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var csv = await client.GetByteArrayAsync($"/api/v1/batches/{id}/results.csv");

        var exported = ReadCsv(csv);
        Assert.Equal("DisplayName", exported[0][2]);
        var names = exported.Skip(1).Select(r => r[2]).ToList();
        Assert.Equal([.. formulas.Select(f => "'" + f), "'=1+1"], names);
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}/invitations");
        Assert.Equal([.. formulas, "=1+1"], stored.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("displayName").GetString()));
        foreach (var cell in exported.Skip(1).SelectMany(r => r))
        {
            Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"results.csv has a cell a spreadsheet would run: {cell}");
        }
    }

    private static List<string[]> ReadCsv(byte[] bytes)
    {
        using var reader = CsvReader.Create(new MemoryStream(bytes), new CsvReaderOptions { HasHeader = false, AllowLineBreaksInQuotes = true }, leaveOpen: false);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }

        return rows;
    }

    // ---- The Upload page: its own empty-file check, and a rejection shown on the page (HTML-encoded).
    public static TheoryData<string, string> PageCases() => new()
    {
        { "empty-file", "is empty" },
        { "png-image", "not text" },
        { "title-line-above-the-header", "Row 2" },
        { "unclosed-quote-swallows-the-rest", "never closed" },
        { "huge-5mb-single-cell", "longer than" },
        { "header-without-email-column", "no Email column" },
    };

    [Theory]
    [MemberData(nameof(PageCases))]
    public async Task UploadPage_BadInputCorpusFile_Shows400RejectionAndStoresNothing(string name, string fragment)
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var before = await StoredAsync();

        var response = await Pages.UploadPageTests.PostFileAsync(client, _corpus[name].Bytes(), "bad\u202Etxt.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var rejection = document.QuerySelector("#rejection")?.TextContent ?? "";
        Assert.Contains(fragment, rejection, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', rejection);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task UploadPage_ScriptInCellsAndRtlFileName_ReviewPageShowsThemAsText()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var csv = $"{Legacy}\r\n{U("x")},\"<script>alert('x')</script>\",{Contact}\r\nbad<img src=x onerror=alert(1)>@partner.example,B,{Contact}\r\n";

        var upload = await Pages.UploadPageTests.PostFileAsync(client, Utf8(csv), "evil\u202Evsc.exe");

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var html = await client.GetStringAsync(upload.Headers.Location!.OriginalString);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', html);
        var document = new HtmlParser().ParseDocument(html);
        Assert.Contains("Row 3, Email:", document.QuerySelector("#rows")!.TextContent, StringComparison.Ordinal);
    }

    // ---- Malformed JSON bodies of the other calls: a 4xx problem naming what to change; nothing stored.
    private static readonly Dictionary<string, (string Path, string Body, string Fragment)> _jsonCases = new(StringComparer.Ordinal)
    {
        // path ({id} = a batch of this test, {u} = a fresh id), body, a fragment of the detail
        ["resend-statuses-a-string"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":\"Failed\"}", "$.statuses"),
        ["resend-unknown-status"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":[\"Bogus\"]}", "$.statuses[0]"),
        ["resend-status-number-out-of-range"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":[99]}", "Only Failed"),
        ["resend-status-not-resendable"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":[\"Accepted\"]}", "not Accepted"),
        ["resend-reset-redemption-a-string"] = ("/api/v1/batches/{id}/resend", "{\"resetRedemption\":\"yes\"}", "$.resetRedemption"),
        ["resend-truncated-json"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":[\"Failed\"", "JSON"),
        ["resend-1000-deep-arrays"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":" + new string('[', 1000) + new string(']', 1000) + "}", "JSON"),
        ["resend-invalid-utf8"] = ("/api/v1/batches/{id}/resend", "{\"statuses\":[\"F\xC3\x28iled\"]}", "JSON"),
        ["invite-email-with-nul"] = ("/api/v1/invitations", "{\"email\":\"ann\\u0000@partner.example\",\"displayName\":\"Ann\"}", "Email: "),
        ["invite-name-with-rtl-override"] = ("/api/v1/invitations", "{\"email\":\"rtl.{u}@partner.example\",\"displayName\":\"Invoice \\u202Efdp.exe\"}", "DisplayName: "),
        ["invite-message-with-nul"] = ("/api/v1/invitations", "{\"email\":\"msg.{u}@partner.example\",\"displayName\":\"Ann\",\"customizedMessageBody\":\"Hi\\u0000\"}", "CustomMessage: "),
        ["invite-email-a-number"] = ("/api/v1/invitations", "{\"email\":5}", "$.email"),
        ["invite-groups-an-object"] = ("/api/v1/invitations", "{\"email\":\"g.{u}@partner.example\",\"inviteGroupResources\":{\"a\":1}}", "$.inviteGroupResources"),
        ["invite-body-an-array"] = ("/api/v1/invitations", "[]", "JSON"),
        ["invite-body-a-string"] = ("/api/v1/invitations", "\"hello\"", "JSON"),
        ["invite-body-null"] = ("/api/v1/invitations", "null", "JSON"),
        ["invite-body-empty"] = ("/api/v1/invitations", "", "JSON body"),
        ["invite-2mb-display-name"] = ("/api/v1/invitations", "{\"email\":\"big.{u}@partner.example\",\"displayName\":\"" + new string('N', 2 * 1024 * 1024) + "\"}", "DisplayName: "),
        ["invite-javascript-redirect"] = ("/api/v1/invitations", "{\"email\":\"js.{u}@partner.example\",\"displayName\":\"J\",\"inviteRedirectUrl\":\"javascript:alert(1)\"}", "InviteReplyURL"),
        ["invite-formula-email"] = ("/api/v1/invitations", "{\"email\":\"=HYPERLINK(1)@partner.example\",\"displayName\":\"F\"}", "Email: "),
    };

    public static TheoryData<string> JsonCaseNames() => [.. _jsonCases.Keys];

    [Theory]
    [MemberData(nameof(JsonCaseNames))]
    public async Task Api_MalformedJsonBody_Answers4xxProblemNamingTheFieldAndStoresNothing(string name)
    {
        var (path, body, fragment) = _jsonCases[name];
        using var client = await portal.CreateAutomationClientAsync();
        var batch = await client.PostAsync("/api/v1/batches?submit=false", FileForm(Utf8($"{Legacy}\r\n{Row()}\r\n"), "target.csv"));
        var id = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var before = await StoredAsync();
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body.Replace("{u}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync(path.Replace("{id}", id, StringComparison.Ordinal), content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
        Assert.True(detail.Contains(fragment, StringComparison.Ordinal), $"{name}: the detail does not say '{fragment}': {detail}");
        Assert.DoesNotContain(detail, char.IsControl);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Api_CancelWithAGarbageBody_IgnoresTheBodyAndAnswers202()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var batch = await client.PostAsync("/api/v1/batches?submit=false", FileForm(Utf8($"{Legacy}\r\n{Row()}\r\n"), "cancel.csv"));
        var id = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var content = new ByteArrayContent([0x00, 0xFF, 0x7B, 0x5B, 0x22]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync($"/api/v1/batches/{id}/cancel", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, (await response.Content.ReadFromJsonAsync<BatchCancelled>())!.Cancelled);
    }
}
