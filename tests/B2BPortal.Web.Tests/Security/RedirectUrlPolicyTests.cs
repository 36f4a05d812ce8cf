using System.Text;

namespace B2BPortal.Web.Tests.Security;

/// <summary>A portal that sends guests only to myapps.microsoft.com and the subdomains of partner.example.</summary>
public sealed class RedirectHostsPortalFactory : PortalFactory
{
    public RedirectHostsPortalFactory()
    {
        With("Portal:Policy:RedirectHosts:0", "myapps.microsoft.com");
        With("Portal:Policy:RedirectHosts:1", "*.partner.example");
    }
}

/// <summary>
/// Issue 11's redirect-URL policy: an invitation sends its guest only to an https:// address by default, and only to
/// the configured hosts when there is a list. A row outside it is Invalid at upload, with the row, column and fix.
/// </summary>
public sealed class RedirectUrlPolicyTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Upload_PlainHttpReplyUrl_IsInvalidNamingRowColumnAndHttps()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = "Email,DisplayName,InviteContactUsUrl,InviteReplyURL\n" +
            $"a{run}@partner.example,A,https://c.example/,https://myapps.microsoft.com/\n" +
            $"b{run}@partner.example,B,https://c.example/,http://phish.example/login\n" +
            $"c{run}@partner.example,C,https://c.example/,\n";

        var rows = await RedirectPolicyUpload.UploadAsync(client, csv);

        Assert.Equal(["Held", "Invalid", "Held"], rows.Select(r => r.Status));
        var error = Assert.Single(rows[1].Errors);
        Assert.Equal("InviteReplyURL", error.Column);
        Assert.StartsWith("Row 3, InviteReplyURL: 'http://phish.example/login' is a plain http:// address", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_EntraPlainHttpRedirect_IsInvalid()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var csv = "version:v1.0\nEmail address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required\n" +
            $"e{Guid.NewGuid():N}@partner.example,http://myapps.microsoft.com\n";

        var rows = await RedirectPolicyUpload.UploadAsync(client, csv);

        var error = Assert.Single(Assert.Single(rows).Errors);
        Assert.Equal("inviteRedirectURL", error.Column);
        Assert.Contains("plain http://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleInvitation_PlainHttpRedirect_Gets400NamingTheField()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/invitations", new
        {
            email = $"s{Guid.NewGuid():N}@partner.example",
            inviteRedirectUrl = "http://phish.example/",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("InviteReplyURL: 'http://phish.example/' is a plain http:// address", detail, StringComparison.Ordinal);
    }
}

/// <summary>The allow-list: hosts outside Portal:Policy:RedirectHosts are Invalid at upload, with the hosts that are allowed.</summary>
public sealed class RedirectHostsTests(RedirectHostsPortalFactory portal) : IClassFixture<RedirectHostsPortalFactory>
{
    [Fact]
    public async Task Upload_RedirectOutsideTheAllowedHosts_IsInvalidNamingTheAllowedHosts()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = "Email,DisplayName,InviteContactUsUrl,InviteReplyURL\n" +
            $"a{run}@partner.example,A,https://c.example/,https://myapps.microsoft.com/\n" +
            $"b{run}@partner.example,B,https://c.example/,https://portal.partner.example/welcome\n" +
            $"c{run}@partner.example,C,https://c.example/,https://evil.example/\n" +
            $"d{run}@partner.example,D,https://c.example/,https://myapps.microsoft.com.evil.example/\n" +
            $"e{run}@partner.example,E,https://c.example/,\n";

        var rows = await RedirectPolicyUpload.UploadAsync(client, csv);

        Assert.Equal(["Held", "Held", "Invalid", "Invalid", "Held"], rows.Select(r => r.Status));
        var error = Assert.Single(rows[2].Errors);
        Assert.Equal("InviteReplyURL", error.Column);
        Assert.Equal(
            "Row 4, InviteReplyURL: 'https://evil.example/' goes to evil.example, which is not among the hosts this portal sends guests to " +
            "(myapps.microsoft.com, *.partner.example, set by Portal:Policy:RedirectHosts) — use an address on one of them, or leave the cell empty for the tenant's My Apps.",
            error.Message);
        Assert.StartsWith("Row 5, InviteReplyURL:", Assert.Single(rows[3].Errors).Message, StringComparison.Ordinal);
    }
}

internal static class RedirectPolicyUpload
{
    internal sealed record Row(int RowNumber, string Status, List<Error> Errors);

    internal sealed record Error(string Column, string Message);

    /// <summary>Uploads for review (nothing is sent) and returns the rows in file order.</summary>
    public static async Task<List<Row>> UploadAsync(HttpClient client, string csv)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        var upload = await client.PostAsync("/api/v1/batches?submit=false", new MultipartFormDataContent { { file, "file", "redirects.csv" } });
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}/invitations?pageSize=200");
        return [.. page.GetProperty("items").EnumerateArray().Select(i => new Row(
            i.GetProperty("rowNumber").GetInt32(),
            i.GetProperty("status").GetString()!,
            [.. i.GetProperty("errors").EnumerateArray().Select(e => new Error(e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!))]))];
    }
}
