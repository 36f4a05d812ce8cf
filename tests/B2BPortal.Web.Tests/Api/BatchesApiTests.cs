using System.Net.Http.Headers;
using System.Text;
using B2BPortal.Web.UnitTests.Invitations.Csv;

namespace B2BPortal.Web.Tests.Api;

/// <summary>API v1 through the real pipeline: bearer token from the simulated tenant, PostgreSQL underneath.</summary>
public sealed class BatchesApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string LegacyHeader = "Email,DisplayName,InviteContactUsUrl";

    internal static MultipartFormDataContent FileForm(byte[] bytes, string fileName = "partners.csv")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private async Task<JsonElement> UploadAsync(HttpClient client, byte[] bytes, bool submit = false, string fileName = "partners.csv")
    {
        var response = await client.PostAsync($"/api/v1/batches?submit={submit.ToString().ToLowerInvariant()}", FileForm(bytes, fileName));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<List<JsonElement>> RowsAsync(HttpClient client, JsonElement batch, string? status = null)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch.GetProperty("id").GetString()}/invitations?pageSize=200{(status is null ? "" : $"&status={status}")}");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static string Unique(string local) => $"{local}.{Guid.NewGuid():N}@partner.example";

    public static TheoryData<string, string> Encodings() => new()
    {
        { "utf8", "," },
        { "utf8bom", "," },
        { "utf16le", "\t" },
        { "windows1252", ";" },
        { "utf8", "\t" },
        { "utf8bom", ";" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Upload_LegacyFileInEachEncodingAndSeparator_StoresEveryRowWithNamesIntact(string encoding, string separator)
    {
        using var client = await portal.CreateAutomationClientAsync();
        var a = Unique("juergen");
        var b = Unique("anna");
        var text = string.Join("\r\n",
            string.Join(separator, "Email", "DisplayName", "InviteContactUsUrl", "Language"),
            string.Join(separator, a, "Jürgen Müller", "https://contoso.com/contact", "de"),
            string.Join(separator, b, "\"Åsa Ölund, Ltd\"", "https://contoso.com/contact", "FR"),
            "", "");
        var bytes = encoding switch
        {
            "utf8" => CsvBytes.Utf8(text),
            "utf8bom" => CsvBytes.Utf8WithBom(text),
            "utf16le" => CsvBytes.Utf16LeWithBom(text),
            _ => CsvBytes.Windows1252(text),
        };

        var batch = await UploadAsync(client, bytes);

        Assert.Equal("legacy", batch.GetProperty("format").GetString());
        Assert.Equal(2, batch.GetProperty("totalRows").GetInt32());
        Assert.Equal(2, batch.GetProperty("validRows").GetInt32());
        var rows = await RowsAsync(client, batch);
        Assert.Equal(["Jürgen Müller", "Åsa Ölund, Ltd"], rows.Select(r => r.GetProperty("displayName").GetString()));
        Assert.Equal(["de", "fr"], rows.Select(r => r.GetProperty("language").GetString()));
        Assert.All(rows, r => Assert.Equal("Held", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Upload_EntraTemplateWithVersionLineAndExampleRow_IsEntraFormat()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var text = "version:v1.0\r\n" +
            "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\n" +
            "Example:,,,\r\n" +
            $"{Unique("kim")},https://myapps.microsoft.com,false,\"Welcome, partner\"\r\n";

        var batch = await UploadAsync(client, CsvBytes.Utf8(text), submit: true);

        Assert.Equal("entra", batch.GetProperty("format").GetString());
        Assert.Equal(1, batch.GetProperty("totalRows").GetInt32());
        Assert.Equal("Submitted", batch.GetProperty("status").GetString());
        var row = Assert.Single(await RowsAsync(client, batch));
        Assert.Equal(4, row.GetProperty("rowNumber").GetInt32());
    }

    [Fact]
    public async Task Upload_DuplicateEmail_MarksSecondRowInvalid()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var email = Unique("twice");
        var text = $"{LegacyHeader}\n{email},One,https://c.example/\n{email.ToUpperInvariant()},Two,https://c.example/\n";

        var batch = await UploadAsync(client, CsvBytes.Utf8(text));

        Assert.Equal(1, batch.GetProperty("invalidRows").GetInt32());
        var invalid = Assert.Single(await RowsAsync(client, batch, "Invalid"));
        Assert.Equal(3, invalid.GetProperty("rowNumber").GetInt32());
        var error = Assert.Single(invalid.GetProperty("errors").EnumerateArray());
        Assert.Equal("Email", error.GetProperty("column").GetString());
        Assert.Contains("row 2", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Upload_AddressInvitedInEarlierBatch_IsFlaggedToResendInstead()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var email = Unique("again");
        await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{email},First,https://c.example/\n"), submit: true, fileName: "first.csv");

        var second = await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{email},Again,https://c.example/\n"), fileName: "second.csv");

        var row = Assert.Single(await RowsAsync(client, second));
        Assert.Equal("Invalid", row.GetProperty("status").GetString());
        var message = Assert.Single(row.GetProperty("errors").EnumerateArray()).GetProperty("message").GetString();
        Assert.Contains("already invited in batch 'first.csv'", message, StringComparison.Ordinal);
        Assert.Contains("Re-send", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_InvalidCells_EachErrorNamesRowColumnAndFix()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var text = $"Email,DisplayName,InviteContactUsUrl,InviteGroupResources,Language\n" +
            $"bob@@partner.example,Bob,https://c.example/,,\n" +
            $"{Unique("ann")},Ann,not-a-url,not-a-guid,xx\n";

        var batch = await UploadAsync(client, CsvBytes.Utf8(text));

        Assert.Equal(2, batch.GetProperty("invalidRows").GetInt32());
        var rows = await RowsAsync(client, batch, "Invalid");
        var errors = rows.SelectMany(r => r.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: r.GetProperty("rowNumber").GetInt32(), Column: e.GetProperty("column").GetString()!, Message: e.GetProperty("message").GetString()!))).ToList();
        Assert.Contains(errors, e => e is { Row: 2, Column: "Email" } && e.Message.StartsWith("Row 2, Email:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 3, Column: "InviteContactUsUrl" } && e.Message.StartsWith("Row 3, InviteContactUsUrl:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 3, Column: "InviteGroupResources" } && e.Message.Contains("not-a-guid", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 3, Column: "Language" } && e.Message.Contains("pt-BR", StringComparison.Ordinal));
    }

    public static TheoryData<string, byte[], string> RejectedFiles() => new()
    {
        { "empty", [], "empty" },
        { "header only", CsvBytes.Utf8($"{LegacyHeader}\r\n\r\n"), "no invitation rows" },
        { "xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, .. new byte[200]], "CSV" },
        { "binary", [0x00, 0x01, 0x02, 0xFF, 0x00, 0x10, 0x9C, 0x00, 0x00, 0x7F, 0x00, 0x03], "CSV" },
        { "missing column", CsvBytes.Utf8("Email,DisplayName\nx@partner.example,X\n"), "InviteContactUsUrl" },
        { "unknown header", CsvBytes.Utf8("Name,Address\nX,x@partner.example\n"), "inviteeEmail" },
    };

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public async Task Upload_FileThatIsNotAnInvitationList_Gets400ProblemAndStoresNothing(string kind, byte[] bytes, string detailMentions)
    {
        using var client = await portal.CreateAutomationClientAsync();
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/v1/batches")).GetProperty("total").GetInt32();

        var response = await client.PostAsync("/api/v1/batches", FileForm(bytes, $"{kind}.csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detailMentions, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        var after = (await client.GetFromJsonAsync<JsonElement>("/api/v1/batches")).GetProperty("total").GetInt32();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Upload_NoFileField_Gets400NamingTheField()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsync("/api/v1/batches", new MultipartFormDataContent { { new StringContent("x"), "other" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'file'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_Declared200MegabyteBody_Gets413BeforeTheBodyIsRead()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var body = new CountingStream();
        var content = new StreamContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        content.Headers.ContentLength = 200L * 1024 * 1024;

        var response = await client.PostAsync("/api/v1/batches", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(body.BytesRead < 1024 * 1024, $"{body.BytesRead} bytes were read before refusing");
    }

    [Fact]
    public async Task Batch_SubmitFalseThenSubmit_QueuesValidRows()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var batch = await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{Unique("a")},A,https://c.example/\nbad,B,https://c.example/\n"));
        var id = batch.GetProperty("id").GetString();
        Assert.Equal("Review", batch.GetProperty("status").GetString());

        var submit = await client.PostAsync($"/api/v1/batches/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}");
        Assert.Equal("Submitted", detail.GetProperty("status").GetString());
        Assert.Equal(1, detail.GetProperty("counts").GetProperty("queued").GetInt32());
        Assert.Equal(1, detail.GetProperty("counts").GetProperty("invalid").GetInt32());

        var again = await client.PostAsync($"/api/v1/batches/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Batches_List_IsPagedNewestFirst()
    {
        using var client = await portal.CreateAutomationClientAsync();
        await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{Unique("p1")},P,https://c.example/\n"), fileName: "older.csv");
        await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{Unique("p2")},P,https://c.example/\n"), fileName: "newer.csv");

        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/batches?page=1&pageSize=1");

        Assert.Equal(1, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.True(page.GetProperty("total").GetInt32() >= 2);
        Assert.Equal("newer.csv", Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Upload_EmailPortal_BatchSaysThePortalWritesTheEmail()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsync("/api/v1/batches?submit=false&email=portal", FileForm(CsvBytes.Utf8($"{LegacyHeader}\n{Unique("p")},P,https://c.example/\n")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var batch = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}");

        Assert.Equal("portal", batch.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Upload_NoEmailChoice_UsesTheConfiguredDefaultMicrosoft()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var batch = await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{Unique("m")},M,https://c.example/\n"));

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch.GetProperty("id").GetString()}");

        Assert.Equal("microsoft", detail.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Upload_UnknownEmailChoice_Gets400SayingTheTwoChoicesAndStoresNothing()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/v1/batches")).GetProperty("total").GetInt32();

        var response = await client.PostAsync("/api/v1/batches?email=outlook", FileForm(CsvBytes.Utf8($"{LegacyHeader}\n{Unique("o")},O,https://c.example/\n")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal("Unknown email 'outlook': use email=microsoft (Microsoft's invitation email) or email=portal (the portal's own localized email).", detail);
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/v1/batches")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Invitations_UnknownStatusFilter_Gets400ListingStatuses()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var batch = await UploadAsync(client, CsvBytes.Utf8($"{LegacyHeader}\n{Unique("s")},S,https://c.example/\n"));
        var response = await client.GetAsync($"/api/v1/batches/{batch.GetProperty("id").GetString()}/invitations?status=Done");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid, Held, Queued, Sending, Invited, Accepted, Failed, Cancelled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownBatch_Gets404Problem()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.GetAsync($"/api/v1/batches/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ResultsCsv_EscapesFormulaCellsAndKeepsNamesIntact()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var text = $"{LegacyHeader}\n{Unique("f")},\"=HYPERLINK(\"\"http://evil\"\")\",https://c.example/\n{Unique("m")},\"Müller, Jürgen\",https://c.example/\n{Unique("p")},+SUM(A1),https://c.example/\n";
        var batch = await UploadAsync(client, CsvBytes.Utf8(text));

        var response = await client.GetAsync($"/api/v1/batches/{batch.GetProperty("id").GetString()}/results.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", csv, StringComparison.Ordinal);
        Assert.Contains("'+SUM(A1)", csv, StringComparison.Ordinal);
        Assert.Contains("\"Müller, Jürgen\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",+", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteOne_Valid_CreatesOneRowBatch()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { email = Unique("one"), displayName = "One Guest", language = "ja" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("single", batch.GetProperty("format").GetString());
        Assert.Equal(1, batch.GetProperty("validRows").GetInt32());
        Assert.Equal("Submitted", batch.GetProperty("status").GetString());
    }

    [Fact]
    public async Task InviteOne_InviteAppId_RecordedAndShownAsBrandingAppId()
    {
        // Graph's POST /invitations has no field for it (InvitationRequest carries none); the portal keeps and shows it.
        const string AppId = "5a1c3e7b-9d2f-4b6a-8c0e-1f3d5b7a9c2e";
        using var client = await portal.CreateAutomationClientAsync();
        var created = await client.PostAsJsonAsync("/api/v1/invitations", new { email = Unique("branded"), displayName = "Branded Guest", inviteAppId = AppId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var rows = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}/invitations");
        Assert.Equal(AppId, rows.GetProperty("items")[0].GetProperty("brandingAppId").GetString());
    }

    [Fact]
    public async Task InviteOne_Invalid_Gets400WithFieldErrors()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { email = "no-at-sign", displayName = "", inviteRedirectUrl = "ftp://x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var columns = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("column").GetString()).ToList();
        Assert.Contains("Email", columns);
        Assert.Contains("DisplayName", columns);
        Assert.Contains("InviteReplyURL", columns);
    }

    [Fact]
    public async Task InviteOne_GroupAndAppIdsAsJsonArrays_StoredLikeACsvCell()
    {
        using var client = await portal.CreateAutomationClientAsync();
        // The simulated tenant's groups and app: on the assignable list from start-up (anything else is refused at upload).
        var groups = new[] { Simulator.SimulatedTenantDefaults.Groups[0].Id, Simulator.SimulatedTenantDefaults.Groups[1].Id };
        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { email = Unique("arrays"), displayName = "Arrays", inviteGroupResources = groups, inviteAppResources = new[] { Simulator.SimulatedTenantDefaults.Applications[0].AppId } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var row = Assert.Single(await RowsAsync(client, await response.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(string.Join(' ', groups), row.GetProperty("groupIds").GetString());
    }

    [Fact]
    public async Task InviteOne_WrongJsonType_Gets400NamingTheField()
    {
        using var client = await portal.CreateAutomationClientAsync();
        using var body = new StringContent("{\"email\": 5, \"displayName\": \"X\"}", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/v1/invitations", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith("The JSON body could not be read: the value at '$.email' has the wrong type", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("B2BPortal", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteOne_NulCharactersInTextFields_Gets400NotAServerError()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { email = Unique("nul"), displayName = "N\u0000", customizedMessageBody = "Hi\u0000" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var columns = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("column").GetString()).ToList();
        Assert.Equal(["DisplayName", "CustomMessage"], columns);
    }

    [Fact]
    public async Task Resend_UnknownStatusName_Gets400NamingThePosition()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var batch = await UploadAsync(client, Encoding.UTF8.GetBytes($"{LegacyHeader}\n{Unique("r")},R,https://c.example/\n"));

        var response = await client.PostAsJsonAsync($"/api/v1/batches/{batch.GetProperty("id").GetGuid()}/resend", new { statuses = new[] { "Bogus" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'$.statuses[0]'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_RawCsvBodyInsteadOfMultipart_Gets415SayingHowToSendIt()
    {
        using var client = await portal.CreateAutomationClientAsync();
        using var body = new StringContent($"{LegacyHeader}\n{Unique("raw")},R,https://c.example/\n", Encoding.UTF8, "text/csv");

        var response = await client.PostAsync("/api/v1/batches", body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("multipart/form-data with the field 'file'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesApiV1()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/batches", paths);
        Assert.Contains("/api/v1/batches/{id}/resend", paths);
        Assert.Contains("/api/v1/invitations", paths);
    }

    /// <summary>A body that would be 200 MB, counting what the server pulls from it.</summary>
    private sealed class CountingStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => 200L * 1024 * 1024;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, Length - BytesRead);
            Array.Fill(buffer, (byte)'a', offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
