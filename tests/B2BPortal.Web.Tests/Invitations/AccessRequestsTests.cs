using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Hosting;
using B2BPortal.Web.Tests.Security;

namespace B2BPortal.Web.Tests.Invitations;

/// <summary>A delivering portal that refuses personal addresses (Portal:Policy:ConsumerDomains=Deny).</summary>
public sealed class AccessRequestPortalFactory : PortalFactory
{
    public AccessRequestPortalFactory()
    {
        With("Portal:Policy:ConsumerDomains", "Deny");
        With("Delivery:IdleDelay", "00:00:00.100");
        With("Delivery:BackoffBase", "00:00:00.050");
        With("Delivery:BackoffMax", "00:00:00.500");
    }

    protected override string Roles => "web,worker";
}

/// <summary>
/// Access requests (issue 13) over the API and the pages: who may ask, see and decide; the row checks at request time;
/// approval on the upload pipeline with the requester as the guest's sponsor in Entra; every step audited.
/// </summary>
public sealed class AccessRequestsTests(AccessRequestPortalFactory portal) : IClassFixture<AccessRequestPortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static object Request(string email, string name = "Kim Lee") => new
    {
        justification = "Reviews our Q3 designs.",
        partners = new[] { new { email, displayName = name, company = "Fabrikam", language = "de" } },
    };

    /// <summary>A signed-in person and the antiforgery token their cookie calls to the API need.</summary>
    private async Task<(HttpClient Client, string Token)> SignInWithTokenAsync(string upn, string page)
    {
        var client = await portal.SignInAsync(upn);
        var html = await client.GetStringAsync(page);
        return (client, AuthorizationTests.AntiforgeryToken(html));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string url, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Member_WithoutAdminRole_MayRequestButNoAdminPageOrBatchApi()
    {
        using var employee = await portal.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);

        foreach (var page in new[] { "/", "/Batches", "/Batches/Upload", "/Invitations/New", "/Audit", "/Help", "/Settings/Assignable", "/Settings/Policy", "/Settings/Preapproved", "/Requests/Queue" })
        {
            var response = await employee.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/Denied", StringComparison.Ordinal),
                $"{page} answered {(int)response.StatusCode} {response.Headers.Location}");
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await employee.GetAsync("/api/v1/batches")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await employee.GetAsync("/Requests")).StatusCode);
        var form = await employee.GetAsync("/Requests/New");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        Assert.DoesNotContain("href=\"/Batches\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"nav-queue\"", html, StringComparison.Ordinal);

        var denied = await employee.GetAsync("/Account/Denied");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("href=\"/Requests/New\"", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ConsumerAddressUnderDenyPolicy_RefusedWithTheUploadsReason()
    {
        var address = $"kim.{Guid.NewGuid():N}@outlook.com";
        using var automation = await portal.CreateAutomationClientAsync();
        var rows = await RedirectPolicyUpload.UploadAsync(automation, $"Email,DisplayName,InviteContactUsUrl\n{address},Kim,https://c.example/\n");
        var uploadReason = Assert.Single(Assert.Single(rows).Errors).Message;
        Assert.StartsWith($"Row 2, Email: '{address}' is a personal address at outlook.com", uploadReason, StringComparison.Ordinal);
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;

        var response = await PostAsync(employee, token, "/api/v1/access-requests", Request(address));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray().ToList());
        Assert.Equal("Email", error.GetProperty("column").GetString());
        Assert.Equal(uploadReason["Row 2, ".Length..], error.GetProperty("message").GetString());
        await using var db = portal.CreateDbContext();
        Assert.False(await db.AccessRequestPartners.AnyAsync(p => p.Email == address));
    }

    [Fact]
    public async Task Create_OnThePage_ConsumerAddressShowsTheReasonAndStoresNothing()
    {
        var address = $"pat.{Guid.NewGuid():N}@hotmail.com";
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;

        var response = await employee.PostAsync("/Requests/New", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = address,
            ["Input.DisplayName"] = "Pat",
            ["Input.Justification"] = "Needs the extranet.",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is a personal address at hotmail.com, and this portal does not invite personal addresses", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.AccessRequestPartners.AnyAsync(p => p.Email == address));
    }

    [Fact]
    public async Task Decisions_OnlyApproversDecide_MembersSeeOnlyTheirOwn_AndEveryStepIsAudited()
    {
        var mine = $"mine.{Guid.NewGuid():N}@fabrikam.example";
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var created = await PostAsync(employee, token, "/api/v1/access-requests", Request(mine));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Somebody else's request (the automation client's) is invisible to the member.
        using var automation = await portal.CreateAutomationClientAsync();
        var other = await automation.PostAsJsonAsync("/api/v1/access-requests", Request($"other.{Guid.NewGuid():N}@fabrikam.example"));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await employee.GetAsync($"/api/v1/access-requests/{otherId}")).StatusCode);
        var listed = await employee.GetFromJsonAsync<JsonElement>("/api/v1/access-requests");
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == otherId);

        // A member cannot decide, not even their own request.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(employee, token, $"/api/v1/access-requests/{id}/approve", new { comment = "self" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(employee, token, $"/api/v1/access-requests/{id}/reject", new { comment = "self" })).StatusCode);

        // Rejecting needs a comment; once rejected, approving is a conflict and nothing is sent.
        var noComment = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/reject", new { comment = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        var rejected = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/reject", new { comment = "Use the shared account." });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var view = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Rejected", view.GetProperty("status").GetString());
        Assert.Equal("Use the shared account.", view.GetProperty("decisionComment").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { comment = "late" })).StatusCode);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("batchId").ValueKind);

        var mineNow = await employee.GetFromJsonAsync<JsonElement>($"/api/v1/access-requests/{id}");
        Assert.Equal("Rejected", mineNow.GetProperty("status").GetString());
        await using var db = portal.CreateDbContext();
        Assert.False(await db.Invitations.AnyAsync(i => i.NormalizedEmail == mine));
        var audit = await db.AuditEntries.Where(a => a.Detail!.Contains(id)).OrderBy(a => a.Id).Select(a => new { a.Actor, a.Action }).ToListAsync();
        Assert.Equal(
            [new { Actor = SimulatedTenantDefaults.NoRoleUpn, Action = AccessRequests.RequestedAction }, new { Actor = $"app:{SimulatedTenantDefaults.AutomationClientId}", Action = AccessRequests.RejectedAction }],
            audit);
    }

    [Fact]
    public async Task Approve_SomePartners_InvitesOnlyThoseAndTheRequesterSeesEachDecision()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var turnedDown = $"ann.{run}@fabrikam.example";
        var invited = $"bo.{run}@fabrikam.example";
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var created = await PostAsync(employee, token, "/api/v1/access-requests", new
        {
            justification = "Two reviewers.",
            partners = new[] { new { email = turnedDown, displayName = "Ann" }, new { email = invited, displayName = "Bo" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var automation = await portal.CreateAutomationClientAsync();

        var noComment = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { partners = new[] { 2 } });
        var unknown = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { comment = "x", partners = new[] { 2, 7 } });
        var none = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { comment = "x", partners = Array.Empty<int>() });
        var approved = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { comment = "Ann already has an account.", partners = new[] { 2 } });

        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.Contains("Write a comment saying why the partners you did not tick are not invited", await noComment.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("This request has no partner 7; its partners are 1 to 2.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var view = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Approved", view.GetProperty("status").GetString());
        Assert.Equal(["rejected", "approved"], view.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("decision").GetString()));
        var batchId = Guid.Parse(view.GetProperty("batchId").GetString()!);
        await using var db = portal.CreateDbContext();
        var row = Assert.Single(await db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId).ToListAsync());
        Assert.Equal(invited, row.Email);
        Assert.Equal(2, row.RowNumber);

        var mine = await employee.GetStringAsync("/Requests");
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(mine);
        Assert.Equal("Not approved", page.QuerySelector($"tr[data-email='{turnedDown}'] [data-field=status]")!.TextContent.Trim());
        var invitedState = page.QuerySelector($"tr[data-email='{invited}'] [data-field=status]")!.TextContent.Trim();
        Assert.True(invitedState.StartsWith("Approved", StringComparison.Ordinal) || invitedState.StartsWith("Invited", StringComparison.Ordinal), invitedState); // the worker may have sent it already
        Assert.Contains("Ann already has an account.", page.QuerySelector($"tr[data-email='{turnedDown}'] [data-field=decision]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 invitation sent as the portal's application, 1 of 2 partners rejected",
            (await db.AuditEntries.SingleAsync(a => a.Action == AccessRequests.ApprovedAction && a.BatchId == batchId)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_TwoPartnersWithoutContactLinks_BothBecomeRows()
    {
        // Partners are entered like single invitations (no contact-us link); approval used to hold two or more of them to
        // the 2016 file's rules and refused every such request.
        var run = Guid.NewGuid().ToString("N")[..8];
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var created = await PostAsync(employee, token, "/api/v1/access-requests", new
        {
            justification = "Two reviewers.",
            partners = new[] { new { email = $"ed.{run}@fabrikam.example", displayName = "Ed" }, new { email = $"flo.{run}@fabrikam.example", displayName = "Flo" } },
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var automation = await portal.CreateAutomationClientAsync();

        var approved = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { comment = "Both fine." });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var batchId = Guid.Parse((await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batchId").GetString()!);
        await using var db = portal.CreateDbContext();
        Assert.Equal([1, 2], await db.Invitations.Where(i => i.BatchId == batchId).OrderBy(i => i.RowNumber).Select(i => i.RowNumber).ToListAsync());
    }

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string token, string csv, string justification = "Joint project.")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/access-requests/file")
        {
            Content = new MultipartFormDataContent
            {
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "partners.csv" },
                { new StringContent(justification), "justification" },
            },
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task CreateFromFile_TheUsualCsv_EachRowAPartnerAndRefusalsNameTheRow()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var group = SimulatedTenantDefaults.Groups[0].Id;
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var legacy = "Email,DisplayName,InviteContactUsUrl,InviteGroupResources,Language\n" +
            $"gil.{run}@fabrikam.example,Gil,https://c.example/,{group},ja\n" +
            $"hal.{run}@litware.example,Hal,https://c.example/,,\n";

        var created = await PostFileAsync(employee, token, legacy);
        var personal = await PostFileAsync(employee, token, $"Email,DisplayName,InviteContactUsUrl\nok.{run}@fabrikam.example,Ok,https://c.example/\nkim.{run}@outlook.com,Kim,https://c.example/\n");
        var tooMany = await PostFileAsync(employee, token, "Email,DisplayName,InviteContactUsUrl\n" +
            string.Concat(Enumerable.Range(0, AccessRequests.MaxPartners + 1).Select(n => $"p{n}.{run}@fabrikam.example,P{n},https://c.example/\n")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var partners = view.GetProperty("partners").EnumerateArray().ToList();
        Assert.Equal([$"gil.{run}@fabrikam.example", $"hal.{run}@litware.example"], partners.Select(p => p.GetProperty("email").GetString()));
        Assert.Equal(("ja", group), (partners[0].GetProperty("language").GetString(), partners[0].GetProperty("groupIds").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, personal.StatusCode);
        var error = Assert.Single((await personal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().ToList());
        Assert.StartsWith($"Row 3, Email: 'kim.{run}@outlook.com' is a personal address at outlook.com", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains($"a request names at most {AccessRequests.MaxPartners}", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.AccessRequestPartners.AnyAsync(p => p.Email == $"ok.{run}@fabrikam.example" || p.Email == $"p0.{run}@fabrikam.example"));
    }

    [Fact]
    public async Task CreateFromFile_OnThePage_AddressAndNameListBecomesOneRequest_EntraTemplateNeedsNames()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var entra = "version:v1.0\n" +
            "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\n" +
            $"jo.{run}@fabrikam.example,https://myapps.microsoft.com,true,Hello\n";
        Task<HttpResponseMessage> PostAsync(string csv) => employee.PostAsync("/Requests/New?handler=File", new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "upload", "partners.csv" },
            { new StringContent("Reviews the designs."), "fileJustification" },
        });

        var response = await PostAsync($"Email,DisplayName\nivy.{run}@fabrikam.example,Ivy Chen\n");
        var nameless = await PostAsync(entra);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await nameless.Content.ReadAsStringAsync());
        Assert.StartsWith("Row 3, DisplayName: the cell is empty", page.QuerySelector("#errors li")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Reviews the designs.", page.QuerySelector("#file-justification")!.TextContent);
        await using var db = portal.CreateDbContext();
        var partner = await db.AccessRequestPartners.SingleAsync(p => p.Email == $"ivy.{run}@fabrikam.example");
        var request = await db.AccessRequests.SingleAsync(r => r.Id == partner.AccessRequestId);
        Assert.Equal(("Reviews the designs.", AccessRequestStatus.Pending), (request.Justification, request.Status));
    }

    [Fact]
    public async Task Queue_UntickedPartner_IsTurnedDownAndTheOtherInvitedAsTheApprover()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var created = await PostAsync(employee, token, "/api/v1/access-requests", new
        {
            justification = "Two reviewers.",
            partners = new[] { new { email = $"cy.{run}@fabrikam.example", displayName = "Cy" }, new { email = $"di.{run}@fabrikam.example", displayName = "Di" } },
        });
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var queue = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync("/Requests/Queue"));
        var form = queue.QuerySelector($"form#approve-{id:N}")!;
        Assert.Equal(2, queue.QuerySelectorAll($"input[form=approve-{id:N}][name=partners][checked]").Length);

        var response = await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("choosing", "true"),
            new("partners", "1"),
            new("comment", "Di is not on the project."),
        ]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync("/Requests/Queue"));
        Assert.Equal(
            "Approved the request of employee@contoso.onmicrosoft.com: 1 invitation on the way, sent as you; 1 partner not invited (the requester sees your comment).",
            after.QuerySelector("#outcome")!.TextContent.Trim());
        await using var db = portal.CreateDbContext();
        var decisions = await db.AccessRequestPartners.Where(p => p.AccessRequestId == id).OrderBy(p => p.Position).Select(p => p.Decision).ToListAsync();
        Assert.Equal([AccessRequestStatus.Approved, AccessRequestStatus.Rejected], decisions);
        var batch = await db.Batches.SingleAsync(b => b.Id == db.AccessRequests.Single(r => r.Id == id).BatchId);
        Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, batch.SentAs);
    }

    [Fact]
    public async Task Approve_ByAutomation_InvitesOnTheUploadPipelineWithTheRequesterAsSponsor()
    {
        var address = $"sam.{Guid.NewGuid():N}@fabrikam.example";
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        var created = await PostAsync(employee, token, "/api/v1/access-requests", Request(address, "Sam Reyes"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var automation = await portal.CreateAutomationClientAsync();

        var approved = await automation.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { comment = "Fine." });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var view = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Approved", view.GetProperty("status").GetString());
        var batchId = view.GetProperty("batchId").GetString()!;
        var batch = await automation.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}");
        Assert.Equal("request", batch.GetProperty("format").GetString());
        Assert.Equal("app", batch.GetProperty("sentAs").GetString());

        var employeeId = portal.Tenant.Tenant.FindUser(SimulatedTenantDefaults.NoRoleUpn)!.Id;
        var guest = await Eventually.Until(
            () => Task.FromResult(portal.Tenant.Tenant.Users().FirstOrDefault(u => string.Equals(u.Mail, address, StringComparison.OrdinalIgnoreCase))),
            user => user is not null && portal.Tenant.Tenant.Sponsors(user.Id).Count > 0,
            "the guest invited with the employee as sponsor",
            Patience,
            user => user is null ? "no guest yet" : $"guest {user.Id}, sponsors: {portal.Tenant.Tenant.Sponsors(user.Id).Count}");
        Assert.Equal([employeeId], portal.Tenant.Tenant.Sponsors(guest!.Id).Select(u => u.Id));
        await using var db = portal.CreateDbContext();
        var row = await Eventually.Until(
            () => db.Invitations.AsNoTracking().SingleAsync(i => i.BatchId == Guid.Parse(batchId)),
            i => i.Status == InvitationStatus.Invited,
            "the row Invited",
            Patience,
            i => $"{i.Status} {i.LastError}");
        Assert.Equal(employeeId, row.SponsorId);
        Assert.Equal("de", row.Language);
        Assert.Contains(await db.InvitationAssignments.Where(a => a.InvitationId == row.Id).ToListAsync(),
            a => a is { Kind: AssignmentKind.Sponsor, Status: AssignmentStatus.Done } && a.TargetId == employeeId);
        var mineNow = await employee.GetFromJsonAsync<JsonElement>($"/api/v1/access-requests/{id}");
        Assert.Equal("Invited", mineNow.GetProperty("partners")[0].GetProperty("invitationStatus").GetString());
    }

    [Fact]
    public async Task Queue_NewRequest_RaisesTheCountInTheApproversNavigation()
    {
        var (employee, token) = await SignInWithTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "/Requests/New");
        using var _ = employee;
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var before = Waiting(await admin.GetStringAsync("/Requests/Queue"));
        var created = await PostAsync(employee, token, "/api/v1/access-requests", Request($"q.{Guid.NewGuid():N}@fabrikam.example"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var dashboard = await admin.GetStringAsync("/");

        Assert.Equal(before + 1, Waiting(dashboard));
    }

    private static int Waiting(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        return int.Parse(document.QuerySelector("#nav-queue [data-field=waiting]")!.TextContent, System.Globalization.CultureInfo.InvariantCulture);
    }
}
