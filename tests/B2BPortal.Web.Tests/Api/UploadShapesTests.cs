using B2BPortal.Web.UnitTests.Invitations.Csv;

namespace B2BPortal.Web.Tests.Api;

/// <summary>The shapes real files take, through the API onto PostgreSQL, asserting what is stored.</summary>
public sealed class UploadShapesTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<List<JsonElement>> UploadAndReadRowsAsync(byte[] bytes)
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsync("/api/v1/batches?submit=false", BatchesApiTests.FileForm(bytes));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}/invitations?pageSize=200");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static string U(string local) => $"{local}.{Guid.NewGuid():N}@partner.example";

    [Fact]
    public async Task Upload_HeadersInAnyCaseAndOrder_WithInviteLanguageAndMissingOptionals()
    {
        var a = U("a");
        var rows = await UploadAndReadRowsAsync(CsvBytes.Utf8($"invitelanguage,INVITECONTACTUSURL,displayname,EMAIL\r\nzh-hans,https://c.example/,Li Wei,{a}\r\n"));
        var row = Assert.Single(rows);
        Assert.Equal(a, row.GetProperty("email").GetString());
        Assert.Equal("zh-HANS", row.GetProperty("language").GetString());
        Assert.Equal("Held", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Upload_MultiValueCellsWithSpacesSemicolonsAndCommas_StoreEachId()
    {
        // The simulated tenant's groups and app, on the assignable list from start-up (other IDs are Invalid at upload).
        var g1 = Simulator.SimulatedTenantDefaults.Groups[0].Id;
        var g2 = Simulator.SimulatedTenantDefaults.Groups[1].Id;
        var app = Simulator.SimulatedTenantDefaults.Applications[0].AppId;
        var rows = await UploadAndReadRowsAsync(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl,InviteGroupResources,InviteAppResources\n" +
            $"{U("s")},S,https://c.example/,{g1} {g2},\n" +
            $"{U("c")},C,https://c.example/,\"{g1};{g2}\",\n" +
            $"{U("m")},M,https://c.example/,\"{g1}, {g2}\",{app}\n"));
        Assert.All(rows, r => Assert.Equal($"{g1} {g2}", r.GetProperty("groupIds").GetString()));
        Assert.Equal(app, rows[2].GetProperty("appIds").GetString());
    }

    [Fact]
    public async Task Upload_QuotedLineBreaksWhitespaceAndTrailingBlankLines_RowNumbersMatchTheSpreadsheet()
    {
        var a = U("a");
        var b = U("b");
        var rows = await UploadAndReadRowsAsync(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\r\n" +
            $"  {a}  ,\"Line one\r\nline two\",https://c.example/\r\n" +
            $"{b},  Padded Name  ,https://c.example/\r\n\r\n\r\n"));
        Assert.Equal(2, rows.Count);
        Assert.Equal(a, rows[0].GetProperty("email").GetString());
        Assert.Equal("Line one\r\nline two", rows[0].GetProperty("displayName").GetString());
        Assert.Equal("Padded Name", rows[1].GetProperty("displayName").GetString());
        Assert.Equal([2, 3], rows.Select(r => r.GetProperty("rowNumber").GetInt32()));
    }

    [Fact]
    public async Task Upload_LocalizedEntraTemplateSavedByExcelWithSemicolons_IsRead()
    {
        var a = U("de");
        var rows = await UploadAndReadRowsAsync(CsvBytes.Windows1252(
            "version:v1.0;;;\r\n" +
            "Einzuladende E-Mail-Adresse [inviteeEmail] Erforderlich;Umleitungs-URL [inviteRedirectURL] Erforderlich;Einladungsnachricht senden (true oder false) [sendEmail];Angepasste Einladungsnachricht [customizedMessageBody]\r\n" +
            "Beispiel:;;;\r\n" +
            $"{a};https://myapps.microsoft.com;FALSE;Grüße aus München\r\n"));
        var row = rows.Single(r => r.GetProperty("email").GetString() == a);
        Assert.Equal("Held", row.GetProperty("status").GetString());
    }
}

/// <summary>A portal with small limits, to see them enforced over HTTP.</summary>
public sealed class SmallLimitsFactory : PortalFactory
{
    public SmallLimitsFactory()
    {
        With("Portal:Upload:MaxRows", "3");
        With("Portal:Upload:MaxFileBytes", "4096");
    }
}

public sealed class UploadLimitsTests(SmallLimitsFactory portal) : IClassFixture<SmallLimitsFactory>
{
    [Fact]
    public async Task Upload_MoreRowsThanTheLimit_Gets400SayingTheLimitAndStoresNothing()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var csv = "Email,DisplayName,InviteContactUsUrl\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"g{i}@p.example,G,https://c.example/\n"));

        var response = await client.PostAsync("/api/v1/batches", BatchesApiTests.FileForm(CsvBytes.Utf8(csv)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("3", detail, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/v1/batches")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Upload_LargerThanTheSizeLimit_Gets413()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var csv = "Email,DisplayName,InviteContactUsUrl\n" + new string('x', 200_000);

        var response = await client.PostAsync("/api/v1/batches", BatchesApiTests.FileForm(CsvBytes.Utf8(csv)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("the limit is 4 KB. Split the list into several files.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
