using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace B2BPortal.Web.Tests.Security;

/// <summary>What a Global Administrator and an uploader do with the assignable list, over HTTP as they would.</summary>
internal static class AssignablePage
{
    public const string Fix = "ask a Global Administrator to add it under Settings → Assignable groups and applications";

    public static async Task<IDocument> GetAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/Settings/Assignable");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Submits the Add form (its own antiforgery token); returns the response (a redirect when added).</summary>
    public static async Task<HttpResponseMessage> AddAsync(HttpClient admin, AssignableKind kind, string target)
    {
        var page = await GetAsync(admin);
        var form = page.QuerySelector("form#add")!;
        return await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["Kind"] = kind.ToString(),
            ["Target"] = target,
        }));
    }

    /// <summary>Presses Remove on the entry's row.</summary>
    public static async Task<HttpResponseMessage> RemoveAsync(HttpClient admin, string targetId)
    {
        var page = await GetAsync(admin);
        var form = page.QuerySelector($"tr[data-target-id='{targetId}'] form")!;
        return await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        }));
    }

    /// <summary>Uploads through the Upload page for review; returns the review page's address.</summary>
    public static async Task<string> UploadPageAsync(HttpClient admin, string csv)
    {
        var token = AuthorizationTests.AntiforgeryToken(await (await admin.GetAsync("/Batches/Upload")).Content.ReadAsStringAsync());
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var upload = await admin.PostAsync("/Batches/Upload", new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { file, "Upload", "assignable.csv" },
        });
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        return upload.Headers.Location!.OriginalString;
    }

    public static PortalDbContext Database(PortalFactory portal) =>
        new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(portal.ConnectionString).Options);
}

/// <summary>
/// Issue 11, least privilege for assignments: the portal's app-only Graph permissions reach every group and app, so rows
/// (from the Upload page, the API upload and the single-invitation API alike) may only name the groups and applications a
/// Global Administrator put on the assignable list; anything else (an ID that is not in the tenant included) is Invalid at
/// upload with the fix. The simulated tenant's groups and apps start on the list.
/// </summary>
public sealed class AssignableTargetsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly string AllGuests = SimulatedTenantDefaults.Groups[0].Id;
    private static readonly string Extranet = SimulatedTenantDefaults.Applications[0].AppId;

    private static string Unique(string name) => $"{name}.{Guid.NewGuid():N}@partner.example";

    [Fact]
    public async Task Upload_GroupNotOnAssignableList_MarksRowInvalid()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var unknown = Guid.NewGuid().ToString("D");
        var csv = "Email,DisplayName,InviteContactUsUrl,InviteGroupResources,InviteAppResources\n" +
            $"{Unique("listed")},Listed,https://c.example/,{AllGuests},{Extranet}\n" +
            $"{Unique("unlisted")},Unlisted,https://c.example/,{AllGuests} {unknown.ToUpperInvariant()},\n";

        var details = await AssignablePage.UploadPageAsync(admin, csv);

        var review = new HtmlParser().ParseDocument(await admin.GetStringAsync(details));
        Assert.Equal("1 row is ready to send; 1 has problems and will not be sent.", review.QuerySelector("#review-summary")!.TextContent.Trim());
        var invalid = Assert.Single(review.QuerySelectorAll("#rows tbody tr"));
        var error = invalid.QuerySelector(".row-errors li")!.TextContent;
        Assert.Contains($"Row 3, InviteGroupResources: group '{unknown}' is not on this portal's list of assignable groups and applications", error, StringComparison.Ordinal);
        Assert.Contains(AssignablePage.Fix, error, StringComparison.Ordinal);

        // The valid row shows what it grants by name, not by GUID.
        var held = new HtmlParser().ParseDocument(await admin.GetStringAsync(details + "?status=Held"));
        var targets = Assert.Single(held.QuerySelectorAll("#rows tbody tr [data-field=targets]")).TextContent;
        Assert.Equal("Groups: Partners - All guests · Apps: Partner Extranet", targets.Trim());
    }

    [Fact]
    public async Task ApiUpload_AppNotOnAssignableList_MarksRowInvalid()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var unknown = Guid.NewGuid().ToString("D");
        var csv = "Email,DisplayName,InviteContactUsUrl,InviteGroupResources,InviteAppResources\n" +
            $"{Unique("listed")},Listed,https://c.example/,{AllGuests},{Extranet}\n" +
            $"{Unique("unlisted")},Unlisted,https://c.example/,,{unknown}\n";

        var rows = await RedirectPolicyUpload.UploadAsync(client, csv);

        Assert.Equal(["Held", "Invalid"], rows.Select(r => r.Status));
        var error = Assert.Single(rows[1].Errors);
        Assert.Equal("InviteAppResources", error.Column);
        Assert.StartsWith($"Row 3, InviteAppResources: application '{unknown}' is not on this portal's list of assignable groups and applications", error.Message, StringComparison.Ordinal);
        Assert.Contains(AssignablePage.Fix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleInvitationApi_GroupNotOnAssignableList_Gets400AndStoresNothing()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var email = Unique("single");
        var unknown = Guid.NewGuid().ToString("D");

        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { email, displayName = "Single", inviteGroupResources = new[] { AllGuests, unknown } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("InviteGroupResources", error.GetProperty("column").GetString());
        Assert.Contains($"group '{unknown}' is not on this portal's list", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await using var db = AssignablePage.Database(portal);
        Assert.False(await db.Invitations.AnyAsync(i => i.Email == email));
    }

    [Fact]
    public async Task AssignablePage_SimulatedTenant_ListsSeededGroupsAndAppsByName()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var page = await AssignablePage.GetAsync(admin);

        var groups = page.QuerySelectorAll("#groups tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ToList();
        var apps = page.QuerySelectorAll("#applications tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ToList();
        Assert.Superset(new HashSet<string> { "Partners - All guests", "Partners - Fabrikam" }, groups.ToHashSet());
        Assert.Equal(["Expense Reports", "Partner Extranet", "Supplier Portal"], apps);
        Assert.NotNull(page.QuerySelector("nav a[href='/Settings/Assignable']"));
        Assert.All(page.QuerySelectorAll("form[method=post]"), f => Assert.NotNull(f.QuerySelector("input[name=__RequestVerificationToken]")));
        Assert.NotNull(page.QuerySelector("label[for=kind]"));
        Assert.NotNull(page.QuerySelector("label[for=target]"));
    }

    [Fact]
    public async Task AssignablePage_RemoveThenAddByName_UploadsFollowTheListAndBothAreAudited()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        using var client = await portal.CreateAutomationClientAsync();
        var falcon = SimulatedTenantDefaults.Groups[2];
        var csv = () => $"Email,DisplayName,InviteContactUsUrl,InviteGroupResources\n{Unique("falcon")},Falcon,https://c.example/,{falcon.Id}\n";

        var removed = await AssignablePage.RemoveAsync(admin, falcon.Id);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var afterRemove = await AssignablePage.GetAsync(admin);
        Assert.Contains($"Removed group '{falcon.DisplayName}'", afterRemove.QuerySelector("[role=status]#outcome")!.TextContent, StringComparison.Ordinal);
        Assert.Null(afterRemove.QuerySelector($"tr[data-target-id='{falcon.Id}']"));
        var refused = Assert.Single(await RedirectPolicyUpload.UploadAsync(client, csv()));
        Assert.Equal("Invalid", refused.Status);
        Assert.Contains(falcon.Id, Assert.Single(refused.Errors).Message, StringComparison.Ordinal);

        var added = await AssignablePage.AddAsync(admin, AssignableKind.Group, "project f");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var afterAdd = await AssignablePage.GetAsync(admin);
        Assert.Equal(falcon.DisplayName, afterAdd.QuerySelector($"tr[data-target-id='{falcon.Id}'] td")!.TextContent.Trim());
        Assert.Equal("Held", Assert.Single(await RedirectPolicyUpload.UploadAsync(client, csv())).Status);
        await using var db = AssignablePage.Database(portal);
        var audit = await db.AuditEntries.Where(e => e.Action == AssignableTargets.RemovedAction || (e.Action == AssignableTargets.AddedAction && e.Actor != "system"))
            .OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AssignableTargets.RemovedAction, AssignableTargets.AddedAction], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, e.Actor));
        Assert.All(audit, e => Assert.Contains($"'{falcon.DisplayName}' ({falcon.Id})", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AssignablePage_IdNotInTenant_IsRefusedAndNothingIsAdded()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var unknown = Guid.NewGuid().ToString("D");

        var response = await AssignablePage.AddAsync(admin, AssignableKind.Application, unknown);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var problem = page.QuerySelector("#problem[role=alert]")!;
        Assert.StartsWith($"There is no application with application (client) ID {unknown} in this tenant", problem.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("-1", problem.GetAttribute("tabindex"));
        await using var db = AssignablePage.Database(portal);
        Assert.False(await db.AssignableTargets.AnyAsync(t => t.TargetId == unknown));
    }

    [Fact]
    public async Task AssignablePage_NameSeveralGroupsStartWith_OffersThemAndAddsNothing()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await using var db = AssignablePage.Database(portal);
        var before = await db.AssignableTargets.CountAsync();

        var response = await AssignablePage.AddAsync(admin, AssignableKind.Group, "Partners");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var choices = page.QuerySelectorAll("#choices button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(["Add Partners - All guests", "Add Partners - Fabrikam"], choices);
        Assert.Equal(before, await db.AssignableTargets.CountAsync());
    }
}

/// <summary>Only Global Administrators see and change the list, even where other roles may use the portal.</summary>
public sealed class AssignableAccessTests(ConfiguredRolesFactory portal) : IClassFixture<ConfiguredRolesFactory>
{
    [Theory]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.UserAdminUpn)]
    public async Task AssignablePage_NotGlobalAdministrator_IsDeniedAndNotInNavigation(string upn)
    {
        using var client = await portal.SignInAsync(upn);
        var token = AuthorizationTests.AntiforgeryToken(await client.GetStringAsync("/Batches"));

        var get = await client.GetAsync("/Settings/Assignable");
        var post = await client.PostAsync("/Settings/Assignable?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Kind"] = "Group",
            ["Target"] = Guid.NewGuid().ToString(),
        }));

        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.Contains("/Account/Denied", get.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("/Account/Denied", post.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("/Settings/Assignable", await client.GetStringAsync("/Batches"), StringComparison.Ordinal);
        await using var db = AssignablePage.Database(portal);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Actor == upn && e.Action == AssignableTargets.AddedAction));
    }

    [Fact]
    public async Task AssignablePage_AutomationClient_IsNotServed()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var response = await client.GetAsync("/Settings/Assignable");

        // Pages take the sign-in cookie only: a bearer token is sent to sign in like nobody at all.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/oauth2/v2.0/authorize", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>A list with nothing on it (a real tenant's start): every group or app a row names is Invalid, and the dashboard says so.</summary>
public sealed class EmptyAssignableListTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Dashboard_EmptyAssignableList_ShowsNoticeToGlobalAdministratorAndUploadsNamingGroupsAreInvalid()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn); // starts the portal (and its seeding)
        await using (var db = AssignablePage.Database(portal))
        {
            Assert.NotEqual(0, await db.AssignableTargets.ExecuteDeleteAsync());
        }

        var dashboard = new HtmlParser().ParseDocument(await admin.GetStringAsync("/"));
        var notice = dashboard.QuerySelector("#assignable-notice")!;
        Assert.Contains("No group or application may be assigned yet", notice.TextContent, StringComparison.Ordinal);
        Assert.NotNull(notice.QuerySelector("a[href='/Settings/Assignable']"));

        using var client = await portal.CreateAutomationClientAsync();
        var rows = await RedirectPolicyUpload.UploadAsync(client,
            $"Email,DisplayName,InviteContactUsUrl,InviteGroupResources\nnone.{Guid.NewGuid():N}@partner.example,N,https://c.example/,{SimulatedTenantDefaults.Groups[0].Id}\n");
        Assert.Equal("Invalid", Assert.Single(rows).Status);

        var added = await AssignablePage.AddAsync(admin, AssignableKind.Group, SimulatedTenantDefaults.Groups[0].Id);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Null(new HtmlParser().ParseDocument(await admin.GetStringAsync("/")).QuerySelector("#assignable-notice"));
    }
}

/// <summary>Start-up seeding: the simulated tenant's groups and apps go on an empty list; a real tenant's list starts empty.</summary>
public sealed class AssignableSeedTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Seed_RealTenant_LeavesTheListEmpty()
    {
        await using var services = Build(new() { ["AzureAd:TenantId"] = Guid.NewGuid().ToString(), ["AzureAd:ClientId"] = Guid.NewGuid().ToString() });

        await AssignableTargets.SeedSimulatedTenantAsync(services, CancellationToken.None);

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AssignableTargets.CountAsync());
    }

    [Fact]
    public async Task Seed_SimulatedTenant_PutsItsGroupsAndAppsOnAnEmptyListOnce()
    {
        await using var services = Build(new() { ["AzureAd:TenantId"] = "" });

        await AssignableTargets.SeedSimulatedTenantAsync(services, CancellationToken.None);
        await using (var db = database.CreateContext())
        {
            var falcon = SimulatedTenantDefaults.Groups[2].Id;
            await db.AssignableTargets.Where(t => t.TargetId == falcon).ExecuteDeleteAsync();
        }

        await AssignableTargets.SeedSimulatedTenantAsync(services, CancellationToken.None); // a restart: what was removed stays removed

        await using var check = database.CreateContext();
        var targets = (await check.AssignableTargets.ToListAsync()).OrderBy(t => t.TargetId, StringComparer.Ordinal).ToList();
        Assert.Equal(
            SimulatedTenantDefaults.Groups.Take(2).Select(g => (AssignableKind.Group, g.Id, g.DisplayName))
                .Concat(SimulatedTenantDefaults.Applications.Select(a => (AssignableKind.Application, a.AppId, a.DisplayName)))
                .OrderBy(t => t.Item2, StringComparer.Ordinal),
            targets.Select(t => (t.Kind, t.TargetId, t.DisplayName)));
        Assert.Single(await check.AuditEntries.Where(e => e.Action == AssignableTargets.AddedAction && e.Actor == "system").ToListAsync());
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Portal"] = database.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TenantConnectionResolver>();
        services.AddPortalDatabase(configuration, new TestEnvironment());
        return services.BuildServiceProvider();
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "B2BPortal.Web";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
