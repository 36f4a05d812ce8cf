using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace B2BPortal.Web.Tests.Security;

/// <summary>A portal with limits low enough to reach in a test: 5 API calls per client per 10 minutes, one upload at a time.</summary>
public sealed class LowRateLimitPortalFactory : PortalFactory
{
    public const int ApiPermits = 5;

    public LowRateLimitPortalFactory()
    {
        With("Portal:RateLimits:ApiPermitsPerWindow", ApiPermits.ToString(CultureInfo.InvariantCulture));
        With("Portal:RateLimits:ApiWindow", "00:10:00");
        With("Portal:RateLimits:ConcurrentUploads", "1");
        With("Portal:RateLimits:UploadRetryAfter", "00:00:15");
    }
}

/// <summary>
/// Issue 11's abuse limits: per client, a window of API calls and one upload in progress at a time, each refused with
/// 429, Retry-After and a problem detail that says when to retry. The automation client and the signed-in admin are
/// two clients: the admin exhausts its API window here, the automation client uploads.
/// </summary>
public sealed class RateLimitTests(LowRateLimitPortalFactory portal) : IClassFixture<LowRateLimitPortalFactory>
{
    [Fact]
    public async Task ApiCalls_PastTheClientsWindow_Get429WithRetryAfterAndOtherClientsGoOn()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        HttpResponseMessage? refused = null;
        for (var call = 1; call <= LowRateLimitPortalFactory.ApiPermits + 1 && refused is null; call++)
        {
            var response = await admin.GetAsync("/api/v1/batches");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.NotNull(refused);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"Retry after {retryAfter} second", detail, StringComparison.Ordinal);
        Assert.Contains("5 API calls within 10 minutes", detail, StringComparison.Ordinal);

        using var automation = await portal.CreateAutomationClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await automation.GetAsync("/api/v1/batches")).StatusCode);
    }

    [Fact]
    public async Task SecondUpload_WhileTheClientsFirstIsInProgress_Gets429AndAThirdAfterwardsIsTaken()
    {
        using var automation = await portal.CreateAutomationClientAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new HeldFileContent(release.Task);
        var first = automation.PostAsync("/api/v1/batches?submit=false", new MultipartFormDataContent { { held, "file", "held.csv" } });
        try
        {
            // The head is far larger than the request pipe's buffer: once it is written, the portal is reading the upload.
            await held.HeadWritten.Within(TimeSpan.FromSeconds(60), "the held upload's first 8,000 rows were not sent");

            var second = await automation.PostAsync("/api/v1/batches?submit=false", SmallFile("second"));

            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Equal("15", Assert.Single(second.Headers.GetValues("Retry-After")));
            var detail = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
            Assert.Contains("already has 1 upload in progress", detail, StringComparison.Ordinal);
            Assert.Contains("Retry after 15 seconds", detail, StringComparison.Ordinal);
        }
        finally
        {
            release.SetResult();
        }

        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await automation.PostAsync("/api/v1/batches?submit=false", SmallFile("third"))).StatusCode);
    }

    [Fact]
    public async Task SecondPageUpload_WhileThePersonsFirstIsInProgress_Gets429()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new HeldFileContent(release.Task);
        var first = admin.PostAsync("/Batches/Upload", await PageFormAsync(admin, held));
        try
        {
            await held.HeadWritten.Within(TimeSpan.FromSeconds(60), "the held upload's first 8,000 rows were not sent");

            var second = await admin.PostAsync("/Batches/Upload", await PageFormAsync(admin, SmallCsv("page-second")));

            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Equal("15", Assert.Single(second.Headers.GetValues("Retry-After")));
            Assert.Contains("Retry after 15 seconds", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            release.SetResult();
        }

        Assert.Equal(HttpStatusCode.Redirect, (await first).StatusCode);
    }

    /// <summary>The Upload page's form: its antiforgery token first, then the file in the field "Upload".</summary>
    private static async Task<MultipartFormDataContent> PageFormAsync(HttpClient admin, HttpContent file)
    {
        var page = await admin.GetAsync("/Batches/Upload");
        var token = Hosting.AuthorizationTests.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        return new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { file, "Upload", "page.csv" },
        };
    }

    private static MultipartFormDataContent SmallFile(string name) => new() { { SmallCsv(name), "file", $"{name}.csv" } };

    private static ByteArrayContent SmallCsv(string name)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"Email,DisplayName,InviteContactUsUrl\n{name}-{Guid.NewGuid():N}@partner.example,{name},https://c.example/\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return file;
    }

    /// <summary>A CSV whose first 8,000 rows go out at once and whose last row waits until the test releases it.</summary>
    private sealed class HeldFileContent(Task release) : HttpContent
    {
        private readonly TaskCompletionSource _headWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task HeadWritten => _headWritten.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var head = new StringBuilder("Email,DisplayName,InviteContactUsUrl\n");
            var run = Guid.NewGuid().ToString("N")[..8];
            for (var row = 0; row < 8_000; row++)
            {
                head.Append(CultureInfo.InvariantCulture, $"held{run}-{row}@partner.example,Held Guest {row},https://c.example/\n");
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()));
            await stream.FlushAsync();
            _headWritten.SetResult();
            await release;
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"held{run}-last@partner.example,Last,https://c.example/\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
