using System.Text;

namespace B2BPortal.Web.Tests.Api;

/// <summary>Upload bodies that are not the multipart form they claim to be: each a 400 problem that says how to send the file.</summary>
public sealed class MalformedUploadTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Csv = "Email,DisplayName,InviteContactUsUrl\r\nraw@partner.example,Raw,https://c.example/\r\n";

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private async Task<(HttpStatusCode Status, string? MediaType, JsonElement Problem)> PostAsync(HttpContent content)
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsync("/api/v1/batches", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {body}");
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(body).RootElement);
    }

    private static void AssertSaysHowToSendTheFile(JsonElement problem)
    {
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("multipart/form-data", detail, StringComparison.Ordinal);
        Assert.Contains("field named 'file'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_RawCsvAsMultipart_Returns400ProblemNamingTheFileField()
    {
        var (status, mediaType, problem) = await PostAsync(Raw(Csv, "multipart/form-data"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Contains("boundary", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertSaysHowToSendTheFile(problem);
    }

    [Fact]
    public async Task Upload_BoundaryTheBodyDoesNotUse_Returns400ProblemNamingTheFileField()
    {
        var (status, mediaType, problem) = await PostAsync(Raw(Csv, "multipart/form-data; boundary=not-in-the-body"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        AssertSaysHowToSendTheFile(problem);
    }

    [Fact]
    public async Task Upload_TruncatedMultipartBody_Returns400ProblemNamingTheFileField()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\n" + Csv[..30];

        var (status, mediaType, problem) = await PostAsync(Raw(body, "multipart/form-data; boundary=b"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        AssertSaysHowToSendTheFile(problem);
    }

    [Fact]
    public async Task Upload_MultipartPartWithoutHeaders_Returns400Problem()
    {
        var (status, mediaType, _) = await PostAsync(Raw("--b\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
    }

    [Fact]
    public async Task Upload_FormWithTheFileAsATextField_Returns400ProblemNamingTheFileField()
    {
        using var form = new MultipartFormDataContent { { new StringContent(Csv), "file" } };

        var (status, mediaType, problem) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        AssertSaysHowToSendTheFile(problem);
    }

    [Fact]
    public async Task Upload_EmptyMultipartForm_Returns400ProblemNamingTheFileField()
    {
        var (status, _, problem) = await PostAsync(Raw("--empty--\r\n", "multipart/form-data; boundary=empty"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertSaysHowToSendTheFile(problem);
    }

    [Fact]
    public async Task Upload_SubmitNotABoolean_Returns400ProblemNamingTheParameter()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.PostAsync("/api/v1/batches?submit=maybe", BatchesApiTests.FileForm(Encoding.UTF8.GetBytes(Csv)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("submit", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
