using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Hosting;
using B2BPortal.Web.Tests.Security;

namespace B2BPortal.Web.Tests.Pages.Settings;

/// <summary>A delivering portal of its own: the domain policy is one setting for the whole portal, so no other test shares it.</summary>
public sealed class PolicyPagePortalFactory : PortalFactory
{
    protected override string Roles => "web,worker";
}

/// <summary>
/// Issue 13, domain policy before sending: a Global Administrator sets it on Settings › Domain policy (audited, taking
/// precedence over Portal:Policy configuration), and it applies at upload, at request time and again just before sending.
/// The tests share one portal and run in order, each leaving the policy as it found it (configuration alone).
/// </summary>
public sealed class PolicyPageTests(PolicyPagePortalFactory portal) : IClassFixture<PolicyPagePortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<IDocument> GetPageAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/Settings/Policy");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Submits the page's form as a person would: every field as shown, with the given ones changed.</summary>
    private static async Task<HttpResponseMessage> SaveAsync(HttpClient admin, IReadOnlyDictionary<string, string> changes)
    {
        var form = (await GetPageAsync(admin)).QuerySelector("form#policy")!;
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["ConsumerDomains"] = form.QuerySelector("input[name=ConsumerDomains][checked]")!.GetAttribute("value")!,
        };
        foreach (var area in form.QuerySelectorAll("textarea"))
        {
            fields[area.GetAttribute("name")!] = area.TextContent;
        }

        foreach (var (key, value) in changes)
        {
            fields[key] = value;
        }

        return await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    private static async Task ResetAsync(HttpClient admin)
    {
        var page = await GetPageAsync(admin);
        var reset = page.QuerySelector("form[action*='handler=Reset']");
        if (reset is null)
        {
            return;
        }

        var response = await admin.PostAsync(reset.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = reset.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<Guid> UploadForReviewAsync(HttpClient client, string csv)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "policy.csv" } };
        var created = await client.PostAsync("/api/v1/batches?submit=false", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Save_DenyPersonalAddresses_UploadRowInvalidAndRequestRefusedWithTheSameReason()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        using var automation = await portal.CreateAutomationClientAsync();
        static string Csv(string address) => $"Email,DisplayName,InviteContactUsUrl\n{address},Kim,https://c.example/\n";
        var address = $"kim.{Guid.NewGuid():N}@outlook.com";
        var csv = Csv(address);
        Assert.Equal("Held", Assert.Single(await RedirectPolicyUpload.UploadAsync(automation, Csv($"before.{Guid.NewGuid():N}@outlook.com"))).Status); // configuration allows them
        try
        {
            var saved = await SaveAsync(admin, new Dictionary<string, string> { ["ConsumerDomains"] = "Deny" });
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

            var row = Assert.Single(await RedirectPolicyUpload.UploadAsync(automation, csv));
            Assert.Equal("Invalid", row.Status);
            var reason = Assert.Single(row.Errors).Message;
            Assert.Equal(
                $"Row 2, Email: '{address}' is a personal address at outlook.com, and this portal does not invite personal addresses " +
                "(Settings › Domain policy › Personal addresses) — ask the partner for their work address.",
                reason);

            using var employee = await portal.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
            var token = AuthorizationTests.AntiforgeryToken(await employee.GetStringAsync("/Requests/New"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/access-requests")
            {
                Content = JsonContent.Create(new { justification = "Design review.", partners = new[] { new { email = address, displayName = "Kim" } } }),
            };
            request.Headers.Add("X-CSRF-TOKEN", token);
            var refused = await employee.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = Assert.Single((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().ToList());
            Assert.Equal(reason["Row 2, ".Length..], error.GetProperty("message").GetString());

            await using var db = portal.CreateDbContext();
            var audit = await db.AuditEntries.Where(a => a.Action == PolicySettings.ChangedAction).OrderByDescending(a => a.Id).FirstAsync();
            Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, audit.Actor);
            Assert.Equal("personal addresses Deny (was Allow)", audit.Detail);
        }
        finally
        {
            await ResetAsync(admin);
        }

        Assert.Equal("Held", Assert.Single(await RedirectPolicyUpload.UploadAsync(automation, Csv($"after.{Guid.NewGuid():N}@outlook.com"))).Status);
    }

    [Fact]
    public async Task Send_DomainBlockedAfterUpload_RowFailsWithTheReasonAndGetsNoInvitation()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        using var automation = await portal.CreateAutomationClientAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var blocked = $"late.{run}@late-blocked.example";
        var allowed = $"fine.{run}@partner.example";
        var batchId = await UploadForReviewAsync(automation, $"Email,DisplayName,InviteContactUsUrl\n{blocked},Late,https://c.example/\n{allowed},Fine,https://c.example/\n");
        try
        {
            var saved = await SaveAsync(admin, new Dictionary<string, string> { ["BlockedDomains"] = "late-blocked.example" });
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

            Assert.Equal(HttpStatusCode.Accepted, (await automation.PostAsync($"/api/v1/batches/{batchId}/submit", null)).StatusCode);
            var done = await Eventually.Until(
                () => automation.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}"),
                b => b.GetProperty("done").GetBoolean(), "the batch finished sending", Patience, b => Task.FromResult(b.ToString()));

            Assert.Equal(1, done.GetProperty("counts").GetProperty("failed").GetInt32());
            Assert.Equal(1, done.GetProperty("counts").GetProperty("invited").GetInt32());
            var rows = (await automation.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}/invitations?status=Failed")).GetProperty("items");
            var failed = Assert.Single(rows.EnumerateArray().ToList());
            Assert.Equal(blocked, failed.GetProperty("email").GetString());
            Assert.Equal(
                "Not sent: the address is at late-blocked.example, a domain this portal does not invite (Settings › Domain policy › Blocked domains) — " +
                "remove the row, or ask an administrator to unblock the domain. The domain policy was checked again just before sending and has changed since the upload.",
                failed.GetProperty("lastError").GetString());
            Assert.DoesNotContain(portal.Tenant.Tenant.Mailbox(), m => string.Equals(m.To, blocked, StringComparison.OrdinalIgnoreCase));
            Assert.Single(portal.Tenant.Tenant.Mailbox(), m => string.Equals(m.To, allowed, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await ResetAsync(admin);
        }
    }

    [Fact]
    public async Task Upload_AddressAtTheTenantsVerifiedDomain_InvalidNamingIt()
    {
        using var automation = await portal.CreateAutomationClientAsync();
        var address = $"colleague.{Guid.NewGuid():N}@{SimulatedTenantDefaults.CustomDomain}";

        var row = Assert.Single(await RedirectPolicyUpload.UploadAsync(automation, $"Email,DisplayName,InviteContactUsUrl\n{address},Colleague,https://c.example/\n"));

        Assert.Equal("Invalid", row.Status);
        Assert.StartsWith(
            $"Row 2, Email: '{address}' is at contoso.com, one of this tenant's own verified domains, and Entra does not invite its own organization's addresses as guests",
            Assert.Single(row.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_EntryThatIsNotADomain_400NamingFieldAndEntry_NothingSaved()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await using var before = portal.CreateDbContext();
        var audited = await before.AuditEntries.CountAsync(a => a.Action == PolicySettings.ChangedAction);

        var response = await SaveAsync(admin, new Dictionary<string, string> { ["AllowedDomains"] = "fabrikam.example\nhttps://partner.example/path" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "Allowed partner domains, entry 2: 'https://partner.example/path' is not a domain — write it as contoso.com or *.contoso.com, without scheme, address or path.",
            Assert.Single(page.QuerySelectorAll("#problem li")).TextContent);
        Assert.Contains("https://partner.example/path", page.QuerySelector("textarea#allowed")!.TextContent, StringComparison.Ordinal); // what was typed stays
        await using var after = portal.CreateDbContext();
        Assert.False(await after.PolicySettings.AnyAsync());
        Assert.Equal(audited, await after.AuditEntries.CountAsync(a => a.Action == PolicySettings.ChangedAction));
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.UserAdminUpn)]
    public async Task PolicyPage_AdminWhoIsNotGlobalAdministrator_IsDenied(string upn)
    {
        using var admin = await portal.SignInAsync(upn);

        var response = await admin.GetAsync("/Settings/Policy");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_AfterSave_ConfigurationAppliesAgainAndBothAreAudited()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(admin, new Dictionary<string, string> { ["BlockedDomains"] = "reset-test.example" })).StatusCode);
        Assert.Contains("set here by " + SimulatedTenantDefaults.GlobalAdminUpn, (await GetPageAsync(admin)).QuerySelector("#source")!.TextContent, StringComparison.Ordinal);

        await ResetAsync(admin);

        var page = await GetPageAsync(admin);
        Assert.Contains("the portal's configuration", page.QuerySelector("#source")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(string.Empty, page.QuerySelector("textarea#blocked")!.TextContent.Trim());
        await using var db = portal.CreateDbContext();
        var entries = await db.AuditEntries.Where(a => a.Action == PolicySettings.ChangedAction && a.Detail!.Contains("reset-test.example"))
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync();
        Assert.Equal(["blocked domains: +reset-test.example", "Back to configuration (Portal:Policy): blocked domains: -reset-test.example"], entries);
    }
}
