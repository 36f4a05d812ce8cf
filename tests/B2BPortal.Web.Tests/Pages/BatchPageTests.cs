using AngleSharp.Html.Parser;

namespace B2BPortal.Web.Tests.Pages;

/// <summary>The batch page over HTTP: the Progress handler the live page polls, and the no-script confirmation step.</summary>
public sealed class BatchPageTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(HttpClient Client, string Details)> SubmittedBatchAsync(int rows)
    {
        var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var csv = "Email,DisplayName,InviteContactUsUrl\r\n" + string.Concat(Enumerable.Range(0, rows)
            .Select(i => $"p{i}.{Guid.NewGuid():N}@partner.example,Guest {i},https://c.example/\r\n"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "progress.csv" } };
        using var automation = await portal.CreateAutomationClientAsync();
        var api = await automation.PostAsync("/api/v1/batches", form);
        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        var id = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        return (client, $"/Batches/Details/{id}");
    }

    [Fact]
    public async Task ProgressHandler_AnswersCountsTextAndTheAskedRows()
    {
        var (client, details) = await SubmittedBatchAsync(3);
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(details));
        var ids = page.QuerySelectorAll("#rows tr[data-row-id]").Select(r => r.GetAttribute("data-row-id")!).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal("true", page.QuerySelector("#progress")!.GetAttribute("data-live"));

        var response = await client.GetAsync($"{details}?handler=Progress&ids={ids[0]},{ids[2]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var progress = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, progress.GetProperty("counts").GetProperty("Queued").GetInt32());
        Assert.Equal("Sending: 0 of 3 invitations processed, 3 to go.", progress.GetProperty("text").GetString());
        Assert.True(progress.GetProperty("live").GetBoolean());
        Assert.Equal("Sending", progress.GetProperty("pacing").GetProperty("mode").GetString());
        var rows = progress.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([ids[0], ids[2]], rows.Select(r => r.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList());
        Assert.All(rows, r => Assert.Equal("Queued", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Rows_SecondPageAndStatusFromTheQueryString_ShowThoseRowsAndLinks()
    {
        var (client, details) = await SubmittedBatchAsync(60);

        var second = new HtmlParser().ParseDocument(await client.GetStringAsync($"{details}?status=Queued&page=2"));

        // Rows 2-61 (row 1 is the header): page 2 of 50 rows holds rows 52-61.
        Assert.Equal(Enumerable.Range(52, 10).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            second.QuerySelectorAll("#rows tbody tr td[data-label=Row]").Select(td => td.TextContent.Trim()));
        Assert.Equal("Page 2 of 2", second.QuerySelector("nav[aria-label='Row pages'] span.page-link")!.TextContent.Trim());
        Assert.Equal("Queued", second.QuerySelector("#status option[selected]")!.GetAttribute("value"));
        Assert.Equal($"{details}?status=Queued", second.QuerySelectorAll("nav[aria-label='Row pages'] a.page-link").First().GetAttribute("href"));
    }

    [Fact]
    public async Task Cancel_AsksFirstOnThePage_ThenCancelsWithTheFormsToken()
    {
        var (client, details) = await SubmittedBatchAsync(2);

        var confirm = new HtmlParser().ParseDocument(await client.GetStringAsync($"{details}?confirm=Cancel"));

        Assert.Equal("Cancel 2 queued invitations?", confirm.QuerySelector("#confirm-heading")!.TextContent.Trim());
        var form = confirm.QuerySelector("#confirm form")!;
        Assert.EndsWith("handler=Cancel", form.GetAttribute("action"), StringComparison.Ordinal);
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var cancel = await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);

        var after = new HtmlParser().ParseDocument(await client.GetStringAsync(details));
        Assert.Equal("2 queued invitations cancelled. Invitations already sent stay sent.", after.QuerySelector("[role=status]")!.TextContent.Trim());
        Assert.Equal("2", after.QuerySelector("[data-count=Cancelled]")!.TextContent.Trim());
        Assert.Null(after.QuerySelector("#confirm"));
    }

    [Fact]
    public async Task Review_2016FileWithContactLinksLanguagesAndBranding_SaysWhatMicrosoftsEmailWillDrop()
    {
        var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var csv = "Email,DisplayName,InviteContactUsUrl,InviteAppID,Language\r\n" +
            $"de.{Guid.NewGuid():N}@partner.example,Jürgen,https://contoso.example/contact,,de\r\n" +
            $"ja.{Guid.NewGuid():N}@partner.example,Yuki,https://contoso.example/contact,3c2a1b4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d,ja\r\n" +
            $"en.{Guid.NewGuid():N}@partner.example,Emma,https://contoso.example/contact,,en\r\n";
        using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "legacy.csv" } };
        using var automation = await portal.CreateAutomationClientAsync();
        var api = await automation.PostAsync("/api/v1/batches?submit=false", form);
        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        var id = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/Batches/Details/{id}"));

        var lost = page.QuerySelector("#lost-columns")!;
        Assert.StartsWith("3 rows: the custom message and the contact-us link", lost.QuerySelector("[data-lost=message]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("2 rows: the language", lost.QuerySelector("[data-lost=language]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("1 row: InviteAppID branding", lost.QuerySelector("[data-lost=branding]")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de", "Einladung annehmen")]
    [InlineData("ja", "招待を承諾する")]
    [InlineData("pt-BR", "Aceitar convite")]
    [InlineData("zh-HANT", "接受邀請")]
    public async Task HelpEmailPreview_EachLanguage_IsTheEmailInThatLanguage(string language, string accept)
    {
        var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var response = await client.GetAsync($"/Help?handler=EmailPreview&language={language}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"<html lang=\"{(language.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hant" : language)}\">", html, StringComparison.Ordinal);
        Assert.Contains(accept, html, StringComparison.Ordinal);
        Assert.Contains("https://contoso.example/contact", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewEmailPreview_PortalBatch_ShowsThatRowsEmailInItsLanguage()
    {
        var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var csv = $"Email,DisplayName,InviteContactUsUrl,Language\r\nk.{Guid.NewGuid():N}@partner.example,Kim,https://contoso.example/kontakt,ko\r\n";
        using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "ko.csv" } };
        using var automation = await portal.CreateAutomationClientAsync();
        var api = await automation.PostAsync("/api/v1/batches?submit=false&email=portal", form);
        var id = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/Batches/Details/{id}"));
        var link = page.QuerySelector("#portal-email a[data-action=preview]")!.GetAttribute("href")!;

        var html = WebUtility.HtmlDecode(await client.GetStringAsync(link));

        Assert.Contains("<html lang=\"ko\">", html, StringComparison.Ordinal);
        Assert.Contains("Kim님, 안녕하세요.", html, StringComparison.Ordinal);
        Assert.Contains("https://contoso.example/kontakt", html, StringComparison.Ordinal);
    }
}
