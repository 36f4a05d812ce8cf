using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Tenant;

public sealed class TenantEndpointsTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _tenant;

    public TenantEndpointsTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    [Fact]
    public async Task About_DescribesTenantClientsPeopleGroupsApplicationsAndDomains()
    {
        var about = (await _tenant.Http.GetFromJsonAsync<JsonObject>($"{_tenant.Server.BaseUrl}/_tenant/about"))!;

        Assert.Equal(SimulatedTenantDefaults.TenantId, about["tenantId"]!.GetValue<string>());
        Assert.Equal(_tenant.Authority, about["authority"]!.GetValue<string>());
        Assert.Equal(_tenant.GraphBaseUrl, about["graphBaseUrl"]!.GetValue<string>());
        Assert.EndsWith("/v1.0", about["graphBaseUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(SimulatedTenantDefaults.PortalClientSecret, about["portalClient"]!["clientSecret"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.PortalApiScope, about["automationClient"]!["scope"]!.GetValue<string>());
        var people = about["people"]!.AsArray();
        Assert.Contains(people, p => p!["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "Global Administrator"));
        Assert.Contains(people, p => p!["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "Guest Inviter"));
        Assert.Contains(people, p => p!["roles"]!.AsArray().Count == 0);
        Assert.Equal(3, about["groups"]!.AsArray().Count);
        Assert.All(about["applications"]!.AsArray(), a => Assert.NotNull(a!["appId"]));
        Assert.Equal(["contoso.onmicrosoft.com", "contoso.com"], about["verifiedDomains"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task Mailbox_ListsSentInvitationsWithContractFields()
    {
        // Delegated, by a person with a mail address: the one case in which Entra puts the custom message in its email.
        var token = await _tenant.UserTokenAsync(SimulatedTenantDefaults.GuestInviterUpn);
        using var invited = await _tenant.SendGraphAsync(HttpMethod.Post, "/invitations", new
        {
            invitedUserEmailAddress = "mailbox@fabrikam.example",
            invitedUserDisplayName = "Mo <b>Box</b>",
            inviteRedirectUrl = "https://portal.example",
            sendInvitationMessage = true,
            invitedUserMessageInfo = new { messageLanguage = "fr-FR", customizedMessageBody = "Bonjour <script>" },
        }, token);
        invited.EnsureSuccessStatusCode();

        var mailbox = (await _tenant.Http.GetFromJsonAsync<JsonArray>($"{_tenant.Server.BaseUrl}/_tenant/mailbox"))!;
        var view = await _tenant.Http.GetStringAsync($"{_tenant.Server.BaseUrl}/_tenant/mailbox/view");

        var message = Assert.Single(mailbox)!;
        Assert.Equal("mailbox@fabrikam.example", message["to"]!.GetValue<string>());
        Assert.Equal("invitation", message["kind"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.InvitationSender, message["from"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.GuestInviterUpn, message["invitedBy"]!.GetValue<string>());
        Assert.Contains("Gray Inviter", message["subject"]!.GetValue<string>(), StringComparison.Ordinal);

        // With a custom message Entra ignores messageLanguage: the guest gets en-US; Graph received fr-FR.
        Assert.Equal("en-US", message["language"]!.GetValue<string>());
        Assert.Equal("fr-FR", message["request"]!["messageLanguage"]!.GetValue<string>());
        Assert.Equal("Bonjour <script>", message["customMessage"]!.GetValue<string>());
        Assert.Contains("Bonjour <script>", message["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(message["redeemUrl"]!.GetValue<string>(), message["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Mo <b>Box</b>", message["displayName"]!.GetValue<string>());
        Assert.StartsWith($"{_tenant.Server.BaseUrl}/_tenant/redeem/", message["redeemUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(message["sentAt"]);
        Assert.NotNull(message["userId"]);
        Assert.Contains("Bonjour &lt;script&gt;", view, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", view, StringComparison.Ordinal);
        Assert.Contains("fr-FR", view, StringComparison.Ordinal); // the note on the ignored language
    }

    [Fact]
    public async Task Redeem_UnknownToken_Is404()
    {
        using var response = await _tenant.Http.PostAsync($"{_tenant.Server.BaseUrl}/_tenant/redeem/nope", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AcceptInvitation_ByRedeemUrl_MarksGuestAccepted()
    {
        var token = await _tenant.TokenAsync();
        using var invited = await _tenant.InviteAsync(token, "direct@fabrikam.example");
        var body = (await invited.Content.ReadFromJsonAsync<JsonObject>())!;

        var accepted = _tenant.Server.Tenant.AcceptInvitation(body["inviteRedeemUrl"]!.GetValue<string>());

        Assert.True(accepted);
        Assert.Equal("Accepted", _tenant.Server.Tenant.FindUser(body["invitedUser"]!["id"]!.GetValue<string>())!.ExternalUserState);
        Assert.False(_tenant.Server.Tenant.AcceptInvitation("http://127.0.0.1/_tenant/redeem/unknown"));
    }

    [Fact]
    public async Task SetFaults_FromTenantObject_AppliesToGraph()
    {
        var token = await _tenant.TokenAsync();
        _tenant.Server.Tenant.SetFaults(new B2BPortal.Simulator.Faults.FaultSettings { ServerErrorRate = 1 });

        using var response = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Reset_EmptiesGuestsMailboxFaultsAndCounters()
    {
        var token = await _tenant.TokenAsync();
        (await _tenant.InviteAsync(token, "gone@fabrikam.example")).Dispose();
        await _tenant.PutFaultsAsync(new { latencyMs = 5, invitationsPer5s = 7 });

        using var reset = await _tenant.Http.PostAsync($"{_tenant.Server.BaseUrl}/_tenant/reset", null);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var tenant = _tenant.Server.Tenant;
        Assert.DoesNotContain(tenant.Users(), u => u.Mail == "gone@fabrikam.example");
        Assert.Contains(tenant.Users(), u => u.Mail == SimulatedTenantDefaults.BlockedGuestEmail);
        Assert.Empty(tenant.Mailbox());
        Assert.Equal((0, 150), (tenant.FaultSettings.LatencyMs, tenant.FaultSettings.InvitationsPer5s));
        Assert.Empty(tenant.Stats.RequestCounts);
    }

    [Fact]
    public async Task Stats_CountsByMethodAndTemplateAndByStatus()
    {
        var token = await _tenant.TokenAsync();
        (await _tenant.InviteAsync(token, "stat@fabrikam.example")).Dispose();
        (await _tenant.InviteAsync(token, "stat@contoso.com")).Dispose();
        (await _tenant.SendGraphAsync(HttpMethod.Get, $"/users/{Guid.NewGuid()}", token: token)).Dispose();
        (await _tenant.SendGraphAsync(HttpMethod.Get, "/users")).Dispose();

        var stats = (await _tenant.Http.GetFromJsonAsync<JsonObject>($"{_tenant.Server.BaseUrl}/_tenant/stats"))!;

        Assert.Equal(2, stats["requests"]!["POST /invitations"]!.GetValue<int>());
        Assert.Equal(1, stats["requests"]!["GET /users/{id}"]!.GetValue<int>());
        Assert.Equal(1, stats["requests"]!["GET /users"]!.GetValue<int>());
        Assert.Equal(1, stats["responses"]!["201"]!.GetValue<int>());
        Assert.Equal(1, stats["responses"]!["400"]!.GetValue<int>());
        Assert.Equal(1, stats["responses"]!["404"]!.GetValue<int>());
        Assert.Equal(1, stats["responses"]!["401"]!.GetValue<int>());
        Assert.NotNull(stats["batchCounting"]);
    }

    [Fact]
    public async Task Invitations_100InParallel_Create100UsersAnd100Messages()
    {
        var token = await _tenant.TokenAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var response = await _tenant.InviteAsync(token, $"parallel{i}@fabrikam.example");
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonObject>());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var userIds = responses.Select(r => r.Body!["invitedUser"]!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(100, userIds.Count);
        var mailbox = _tenant.Server.Tenant.Mailbox();
        Assert.Equal(100, mailbox.Count);
        Assert.Equal(userIds, mailbox.Select(m => m.UserId!).ToHashSet());
        Assert.Equal(100, _tenant.Server.Tenant.Users().Count(u => u.Mail?.StartsWith("parallel", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Invitations_SameAddressInParallel_CreateOneUser()
    {
        var token = await _tenant.TokenAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await _tenant.InviteAsync(token, "race@fabrikam.example");
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["invitedUser"]!["id"]!.GetValue<string>();
        }));

        Assert.Single(responses.Distinct());
        Assert.Single(_tenant.Server.Tenant.Users(), u => u.Mail == "race@fabrikam.example");
    }

    [Fact]
    public async Task Consent_Revoked_RefusesGraphAtOnceAndNewTokensLackThePermission()
    {
        var before = await _tenant.TokenAsync();

        using var put = await _tenant.Http.PutAsJsonAsync($"{_tenant.Server.BaseUrl}/_tenant/consent",
            new { graphPermissions = new[] { "User.Invite.All", "GroupMember.ReadWrite.All" } });
        using var oldToken = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: before);
        var after = await _tenant.TokenAsync();
        using var newToken = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: after);
        using var unknown = await _tenant.Http.PutAsJsonAsync($"{_tenant.Server.BaseUrl}/_tenant/consent", new { graphPermissions = new[] { "Directory.ReadWrite.All" } });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (oldToken.StatusCode, newToken.StatusCode));
        var error = (await newToken.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("Authorization_RequestDenied", error["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var roles = System.Text.Json.JsonDocument.Parse(Base64UrlDecode(after.Split('.')[1])).RootElement.GetProperty("roles")
            .EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["GroupMember.ReadWrite.All", "User.Invite.All"], roles.Order(StringComparer.Ordinal));

        _tenant.Server.Tenant.Reset();
        using var reset = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: before);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
    }

    private static byte[] Base64UrlDecode(string part) =>
        Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '='));
}
