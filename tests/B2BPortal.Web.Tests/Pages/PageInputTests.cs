namespace B2BPortal.Web.Tests.Pages;

/// <summary>Hand-edited or stale links (bad ids, statuses, pages, dates, handler arguments) get a page or a 4xx, never a 500.</summary>
public sealed class PageInputTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Pages_OddQueryValues_AnswerWithoutServerError()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        using var automation = await portal.CreateAutomationClientAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("Email,DisplayName,InviteContactUsUrl\r\nodd@partner.example,Odd,https://c.example/\r\n"u8.ToArray()), "file", "odd.csv" },
        };
        var created = await (await automation.PostAsync("/api/v1/batches?submit=false", form)).Content.ReadFromJsonAsync<JsonElement>();
        var batch = $"/Batches/Details/{created.GetProperty("id").GetString()}";
        string[] paths =
        [
            "/?page=-1", "/Batches?page=-5", "/Batches?page=999999", "/Batches?page=abc",
            $"{batch}?status=Bogus", $"{batch}?status=failed&page=-3", $"{batch}?page=2147483647", $"{batch}?search=%25%27%22%3C%3E",
            $"{batch}?confirm=nonsense", $"{batch}?handler=Progress&ids=abc,,-1", $"{batch}?handler=Progress&ids=", $"{batch}?handler=Nope",
            $"/Batches/Details/{Guid.NewGuid()}", $"/Batches/Details/{Guid.NewGuid()}?handler=Progress",
            "/Audit?from=notadate&to=2026-13-45", "/Audit?from=2030-01-01&to=2020-01-01", "/Audit?page=0&actor=%00", "/Audit?action=%27%3B--",
            "/Invitations/New?email=x", "/Help?x=1",
        ];

        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
            Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        }
    }
}
