using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Hosting;

namespace B2BPortal.Web.Tests.Pages.Settings;

/// <summary>A delivering portal of its own: pre-approved domains apply to every request, so no other test shares them.</summary>
public sealed class PreapprovedPortalFactory : PortalFactory
{
    protected override string Roles => "web,worker";
}

/// <summary>
/// Issue 13, pre-approved partner domains: a Global Administrator lists a domain with its redirect URL, groups, apps and
/// message (audited, checked like a row); a request whose partners are all there is sent at once as the portal's
/// application with those; anything else waits for an approver.
/// </summary>
public sealed class PreapprovedPageTests(PreapprovedPortalFactory portal) : IClassFixture<PreapprovedPortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string Group = SimulatedTenantDefaults.Groups[0].Id;
    private static readonly string OtherGroup = SimulatedTenantDefaults.Groups[1].Id;
    private static readonly string App = SimulatedTenantDefaults.Applications[0].AppId;

    internal static async Task<HttpResponseMessage> AddAsync(HttpClient admin, string domain, string? redirect = null, string? group = null, string? app = null, string? message = null)
    {
        var page = new HtmlParser().ParseDocument(await admin.GetStringAsync("/Settings/Preapproved"));
        var form = page.QuerySelector("form#add")!;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Domain", domain),
            new("Input.RedirectUrl", redirect ?? string.Empty),
            new("Input.Message", message ?? string.Empty),
        };
        if (group is not null)
        {
            fields.Add(new("Input.GroupIds", group));
        }

        if (app is not null)
        {
            fields.Add(new("Input.AppIds", app));
        }

        // Posts what the form really has: a field this helper names must be one of the form's.
        Assert.All(fields, f => Assert.NotNull(form.QuerySelector($"[name='{f.Key}']")));
        return await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    private Task<JsonElement> RequestAsync(params (string Email, string? GroupIds)[] partners) => RequestAsync(portal, partners);

    internal static async Task<JsonElement> RequestAsync(PortalFactory portal, params (string Email, string? GroupIds)[] partners)
    {
        using var employee = await portal.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
        var token = AuthorizationTests.AntiforgeryToken(await employee.GetStringAsync("/Requests/New"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/access-requests")
        {
            Content = JsonContent.Create(new
            {
                justification = "Joint project.",
                partners = partners.Select(p => new { email = p.Email, displayName = "Partner", language = "de", groupIds = p.GroupIds }).ToArray(),
            }),
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        var response = await employee.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Request_AllPartnersAtPreapprovedDomains_SentAtOnceWithTheEntrysGroupsAppRedirectAndMessage()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(admin, "northwind.example", "https://northwind.example/welcome", Group, App, "Welcome to the joint project.")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(admin, "*.tailspin.example", group: Group)).StatusCode);
        var run = Guid.NewGuid().ToString("N")[..8];
        var exact = $"ann.{run}@northwind.example";
        var sub = $"bo.{run}@eu.tailspin.example";

        var created = await RequestAsync((exact, Group), (sub, null));

        Assert.Equal("Approved", created.GetProperty("status").GetString());
        Assert.Equal(AccessRequests.AutoApprover, created.GetProperty("decidedBy").GetString());
        Assert.Equal(["approved", "approved"], created.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("decision").GetString()));
        var batchId = Guid.Parse(created.GetProperty("batchId").GetString()!);
        await using var db = portal.CreateDbContext();
        var rows = await Eventually.Until(
            () => db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId).OrderBy(i => i.RowNumber).ToListAsync(),
            list => list.Count == 2 && list.All(i => i.Status == InvitationStatus.Invited),
            "both partners Invited", Patience, list => Task.FromResult(string.Join(", ", list.Select(i => $"{i.Email} {i.Status} {i.LastError}"))));
        Assert.Equal((Group, App, "https://northwind.example/welcome", "Welcome to the joint project."), (IdList.Text(rows[0].GroupIds), IdList.Text(rows[0].AppIds), rows[0].RedirectUrl, rows[0].CustomMessage));
        Assert.Equal((Group, (string?)null, (string?)null, (string?)null), (IdList.Text(rows[1].GroupIds), IdList.Text(rows[1].AppIds), rows[1].RedirectUrl, rows[1].CustomMessage));
        Assert.Equal("app", (await db.Batches.SingleAsync(b => b.Id == batchId)).SentAs ?? "app");
        var audit = await db.AuditEntries.Where(a => a.Action == AccessRequests.AutoApprovedAction && a.BatchId == batchId).SingleAsync();
        Assert.Equal(AccessRequests.AutoApprover, audit.Actor);
        Assert.Contains("northwind.example, *.tailspin.example pre-approved", audit.Detail, StringComparison.Ordinal);
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == PreapprovedDomains.AddedAction));
    }

    [Fact]
    public async Task Request_PartnerOutsideOrAskingForMore_WaitsForAnApprover()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await AddAsync(admin, "litware.example", group: Group);
        var run = Guid.NewGuid().ToString("N")[..8];

        var mixed = await RequestAsync(($"a.{run}@litware.example", null), ($"b.{run}@elsewhere.example", null));
        var more = await RequestAsync(($"c.{run}@litware.example", $"{Group} {OtherGroup}"));

        Assert.Equal("Pending", mixed.GetProperty("status").GetString());
        Assert.Equal("Pending", more.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, more.GetProperty("batchId").ValueKind);
    }

    [Fact]
    public async Task Add_NotADomainOrPlainHttpRedirect_400NamingTheFieldAndNothingStored()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var notDomain = await AddAsync(admin, "https://contoso-partner.example/");
        var httpRedirect = await AddAsync(admin, "fourthcoffee.example", "http://fourthcoffee.example/");

        Assert.Equal(HttpStatusCode.BadRequest, notDomain.StatusCode);
        var first = new HtmlParser().ParseDocument(await notDomain.Content.ReadAsStringAsync()).QuerySelector("#problem li")!.TextContent;
        Assert.StartsWith("Domain: 'https://contoso-partner.example/' is not a domain", first, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, httpRedirect.StatusCode);
        var second = new HtmlParser().ParseDocument(await httpRedirect.Content.ReadAsStringAsync()).QuerySelector("#problem li")!.TextContent;
        Assert.Contains("https", second, StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.PreapprovedDomains.AnyAsync(d => d.Domain == "fourthcoffee.example"));
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.NoRoleUpn)]
    public async Task PreapprovedPage_NotAGlobalAdministrator_IsDenied(string upn)
    {
        using var person = await portal.SignInAsync(upn);

        var response = await person.GetAsync("/Settings/Preapproved");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}

/// <summary>A portal whose tenant lets only admins invite: pre-approval cannot send as the application there.</summary>
public sealed class RestrictedTenantPortalFactory : PortalFactory
{
    protected override string Roles => "web,worker";
}

/// <summary>Pre-approval on a tenant that refuses app-only invitations: the request waits for an approver, and the audit log says why.</summary>
public sealed class PreapprovedRestrictedTenantTests(RestrictedTenantPortalFactory portal) : IClassFixture<RestrictedTenantPortalFactory>
{
    [Fact]
    public async Task Request_TenantRefusesAppOnlyInvitations_WaitsForAnApproverAndTheAuditSaysWhy()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await PreapprovedPageTests.AddAsync(admin, "adatum.example");
        Assert.Null(portal.Tenant.Tenant.SetAllowInvitesFrom("adminsAndGuestInviters")); // this portal's own tenant, for good

        var created = await PreapprovedPageTests.RequestAsync(portal, ($"d.{Guid.NewGuid():N}@adatum.example", null));

        Assert.Equal("Pending", created.GetProperty("status").GetString());
        await using var db = portal.CreateDbContext();
        var skipped = await db.AuditEntries.SingleAsync(a => a.Action == AccessRequests.AutoApproveSkippedAction);
        Assert.Contains("adminsAndGuestInviters", skipped.Detail, StringComparison.Ordinal);
        Assert.False(await db.AccessRequests.AnyAsync(r => r.BatchId != null));
    }
}
