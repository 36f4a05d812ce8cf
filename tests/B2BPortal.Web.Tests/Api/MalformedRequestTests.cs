namespace B2BPortal.Web.Tests.Api;

/// <summary>Query and path values an API call cannot use: a 4xx problem whose detail names what to change.</summary>
public sealed class MalformedRequestTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }

    [Theory]
    [InlineData("page=0", "page must be between 1 and")]
    [InlineData("page=-3", "page must be between 1 and")]
    [InlineData("page=2147483647", "page must be between 1 and")]
    [InlineData("pageSize=0", "pageSize must be between 1 and 200")]
    [InlineData("pageSize=100000", "pageSize must be between 1 and 200")]
    [InlineData("page=99999999999", "The parameter 'page' must be a whole number, not '99999999999'")]
    [InlineData("pageSize=ten", "The parameter 'pageSize' must be a whole number, not 'ten'")]
    public async Task List_PagingOutOfRangeOrNotANumber_Returns400NamingTheParameter(string query, string detailStart)
    {
        using var client = await portal.CreateAutomationClientAsync();

        var detail = await AssertProblemAsync(await client.GetAsync($"/api/v1/batches?{query}"), HttpStatusCode.BadRequest);

        Assert.StartsWith(detailStart, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitations_PageBeyondTheLastOffset_Returns400NotAServerError()
    {
        using var client = await portal.CreateAutomationClientAsync();
        using var form = BatchesApiTests.FileForm("Email,DisplayName,InviteContactUsUrl\nfar@partner.example,F,https://c.example/\n"u8.ToArray());
        var batch = await (await client.PostAsync("/api/v1/batches?submit=false", form)).Content.ReadFromJsonAsync<JsonElement>();

        var detail = await AssertProblemAsync(
            await client.GetAsync($"/api/v1/batches/{batch.GetProperty("id").GetString()}/invitations?page=2147483647&pageSize=200"),
            HttpStatusCode.BadRequest);

        Assert.StartsWith("page must be between 1 and", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/batches/not-a-guid")]
    [InlineData("GET", "/api/v1/batches/12345/invitations")]
    [InlineData("POST", "/api/v1/batches/x%20y/resend")]
    public async Task Batch_IdThatIsNotAGuid_Returns404ProblemSayingIdsAreGuids(string method, string path)
    {
        using var client = await portal.CreateAutomationClientAsync();

        var detail = await AssertProblemAsync(await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), HttpStatusCode.NotFound);

        Assert.Contains("is not a batch id: batch ids are GUIDs", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WrongMethod_Returns405ProblemPointingToTheDocument()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var detail = await AssertProblemAsync(await client.DeleteAsync("/api/v1/batches"), HttpStatusCode.MethodNotAllowed);

        Assert.Contains("/openapi/v1.json", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteOne_JsonInACharsetThatIsNoEncoding_Returns415SayingToSendUtf8()
    {
        using var client = await portal.CreateAutomationClientAsync();
        using var body = new ByteArrayContent("{\"email\":\"a@partner.example\"}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=nonsense");

        var detail = await AssertProblemAsync(await client.PostAsync("/api/v1/invitations", body), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("send JSON as UTF-8", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_NoCredentials_Returns401ProblemSayingHowToSignIn()
    {
        using var client = portal.CreatePortalClient();

        var detail = await AssertProblemAsync(await client.GetAsync("/api/v1/batches"), HttpStatusCode.Unauthorized);

        Assert.Contains("Authorization: Bearer", detail, StringComparison.Ordinal);
    }
}
