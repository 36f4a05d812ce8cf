using System.Net.Http.Headers;
using AngleSharp.Html.Parser;
using B2BPortal.Web.Tests.Hosting;
using B2BPortal.Web.UnitTests.Invitations.Csv;

namespace B2BPortal.Web.Tests.Pages;

/// <summary>The Upload → review → Send path as a signed-in admin walks it, asserting what the pages say.</summary>
public sealed class UploadPageTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>Posts a file through the Upload page's form with its antiforgery token, as a browser does.</summary>
    internal static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, byte[] bytes, string fileName)
    {
        var page = await client.GetAsync("/Batches/Upload");
        var token = AuthorizationTests.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { file, "Upload", fileName },
        };
        return await client.PostAsync("/Batches/Upload", form);
    }

    [Fact]
    public async Task Upload_GoodAndBadRows_ReviewPageListsErrorsThenSendQueues()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var good = $"good.{Guid.NewGuid():N}@partner.example";
        var csv = $"Email,DisplayName,InviteContactUsUrl\r\n{good},Good Guest,https://c.example/\r\nbad@@partner.example,Bad Guest,https://c.example/\r\n";

        var upload = await PostFileAsync(client, CsvBytes.Utf8(csv), "mixed.csv");

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var details = upload.Headers.Location!.OriginalString;
        Assert.StartsWith("/Batches/Details/", details, StringComparison.Ordinal);
        var review = await client.GetAsync(details);
        var document = new HtmlParser().ParseDocument(await review.Content.ReadAsStringAsync());
        Assert.Equal("1 row is ready to send; 1 has problems and will not be sent.", document.QuerySelector("#review-summary")!.TextContent.Trim());
        var errorRow = Assert.Single(document.QuerySelectorAll("#rows tbody tr"));
        Assert.Contains("bad@@partner.example", errorRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("Row 3, Email:", errorRow.TextContent, StringComparison.Ordinal);
        Assert.NotNull(document.QuerySelectorAll("button").FirstOrDefault(b => b.TextContent.Trim() == "Send 1 invitation"));

        var token = AuthorizationTests.AntiforgeryToken(document.DocumentElement.OuterHtml);
        var send = await client.PostAsync(details + "?handler=Send", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, send.StatusCode);
        var after = new HtmlParser().ParseDocument(await (await client.GetAsync(details)).Content.ReadAsStringAsync());
        Assert.Contains("1 invitation queued for sending.", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", after.QuerySelector("[data-count=Queued]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Upload_Spreadsheet_ShowsWhyAndStoresNothing()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        byte[] xlsx = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, .. new byte[300]];

        var response = await PostFileAsync(client, xlsx, "partners.xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var rejection = document.QuerySelector("#rejection")!.TextContent;
        Assert.Contains("The file was not accepted", rejection, StringComparison.Ordinal);
        Assert.Contains("CSV", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadPage_StatesTheLimitsAndOffersBothTemplates()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var html = await (await client.GetAsync("/Batches/Upload")).Content.ReadAsStringAsync();
        Assert.Contains("At most 50,000 rows", html, StringComparison.Ordinal);
        Assert.Contains("/templates/legacy-2016-template.csv", html, StringComparison.Ordinal);
        Assert.Contains("/templates/entra-bulk-invite-template.csv", html, StringComparison.Ordinal);
        var template = await client.GetAsync("/templates/entra-bulk-invite-template.csv");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.StartsWith("version:v1.0", (await template.Content.ReadAsStringAsync()).TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleInvitation_InvalidEmail_ShowsMessageNextToField()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var page = await client.GetAsync("/Invitations/New");
        var token = AuthorizationTests.AntiforgeryToken(await page.Content.ReadAsStringAsync());

        var response = await client.PostAsync("/Invitations/New", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "partner(at)example.com",
            ["Input.DisplayName"] = "Pat",
            ["Input.SendEmail"] = "true",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("Email:", document.QuerySelector("#errors")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(document.QuerySelector("#email.is-invalid"));
    }

    [Theory]
    [InlineData(new[] { "true", "false" }, true)] // the box ticked: the browser sends the box's value, then the hidden field's
    [InlineData(new[] { "false" }, false)] // the box cleared: only the hidden field
    public async Task SingleInvitation_SendEmailBox_DecidesWhetherMicrosoftSendsTheEmail(string[] sendEmail, bool expected)
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var page = await client.GetAsync("/Invitations/New");
        var token = AuthorizationTests.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var email = $"single.{Guid.NewGuid():N}@partner.example";
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", token),
            new("Input.Email", email),
            new("Input.DisplayName", "Pat Single"),
        };
        fields.AddRange(sendEmail.Select(value => new KeyValuePair<string, string>("Input.SendEmail", value)));

        var response = await client.PostAsync("/Invitations/New", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = portal.CreateDbContext();
        var row = await db.Invitations.SingleAsync(i => i.Email == email);
        Assert.Equal(expected, row.SendEmail);
        Assert.Equal("Pat Single", row.DisplayName);
    }
}
