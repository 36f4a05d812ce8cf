using System.Net;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>Each Graph call the portal makes, through the real Microsoft.Graph SDK.</summary>
public sealed class GraphSdkTests : IClassFixture<SimulatorFixture>
{
    private const string FabrikamGroupId = "6b1f0c2a-1002-4c00-9000-000000000002";
    private const string ExtranetAppId = "c5a1e0b2-2001-4a00-a000-000000000001";
    private const string ExtranetRoleId = "e8f3a2d4-4001-4c00-c000-000000000001";
    private const string SupplierPortalAppId = "c5a1e0b2-2002-4a00-a000-000000000002";

    private readonly SimulatorFixture _tenant;

    public GraphSdkTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    [Fact]
    public async Task Invite_NewAddress_CreatesPendingGuestAndMailboxMessage()
    {
        var graph = await _tenant.GraphAsync();

        var invitation = await graph.Invitations.PostAsync(new Invitation
        {
            InvitedUserEmailAddress = "pat@fabrikam.example",
            InvitedUserDisplayName = "Pat Partner",
            InviteRedirectUrl = "https://portal.example/welcome",
            SendInvitationMessage = true,
            InvitedUserMessageInfo = new InvitedUserMessageInfo { MessageLanguage = "de-DE", CustomizedMessageBody = "Willkommen" },
        });

        Assert.Equal("PendingAcceptance", invitation!.Status);
        var userId = invitation.InvitedUser!.Id!;
        Assert.StartsWith($"{_tenant.Server.BaseUrl}/_tenant/redeem/", invitation.InviteRedeemUrl, StringComparison.Ordinal);

        var user = await graph.Users[userId].GetAsync(r =>
            r.QueryParameters.Select = ["id", "userType", "mail", "externalUserState", "externalUserStateChangeDateTime"]);
        Assert.Equal("Guest", user!.UserType);
        Assert.Equal("pat@fabrikam.example", user.Mail);
        Assert.Equal("PendingAcceptance", user.ExternalUserState);
        Assert.NotNull(user.ExternalUserStateChangeDateTime);

        // App-only: Entra leaves the custom message out of its email, and a message makes it ignore messageLanguage (en-US).
        // Graph still received both, as the mailbox entry's request fields show.
        var mail = Assert.Single(_tenant.Server.Tenant.Mailbox());
        Assert.Equal(("pat@fabrikam.example", "en-US", null, userId, invitation.InviteRedeemUrl),
            (mail.To, mail.Language, mail.CustomMessage, mail.UserId, mail.RedeemUrl));
        Assert.Equal(("de-DE", "Willkommen"), (mail.RequestedLanguage, mail.RequestedCustomMessage));
        Assert.DoesNotContain("Willkommen", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_SameAddressTwice_ReturnsSameUserAndSendsTwice()
    {
        var graph = await _tenant.GraphAsync();
        Invitation Invitation(string email) => new()
        {
            InvitedUserEmailAddress = email,
            InviteRedirectUrl = "https://portal.example",
            SendInvitationMessage = true,
        };

        var first = await graph.Invitations.PostAsync(Invitation("Sam@Fabrikam.example"));
        var second = await graph.Invitations.PostAsync(Invitation("sam@fabrikam.example"));

        Assert.Equal(first!.InvitedUser!.Id, second!.InvitedUser!.Id);
        Assert.Equal(2, _tenant.Server.Tenant.Mailbox().Count);
    }

    [Fact]
    public async Task Invite_WithoutSendingMessage_LeavesMailboxEmpty()
    {
        var graph = await _tenant.GraphAsync();

        await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "quiet@fabrikam.example", InviteRedirectUrl = "https://p" });

        Assert.Empty(_tenant.Server.Tenant.Mailbox());
    }

    [Theory]
    [InlineData("someone@contoso.com", "verified domain of this directory")]
    [InlineData("someone@contoso.onmicrosoft.com", "verified domain of this directory")]
    [InlineData("someone@blocked.example", "This invitation is blocked by cross-tenant access settings.")]
    [InlineData(SimulatedTenantDefaults.BlockedGuestEmail, "already exists in the directory as object ID: 0a1b2c3d-0099-4000-8000-000000000099, but the account is blocked from signing in")]
    [InlineData("bad,address@fabrikam.example", "characters that are not allowed")]
    [InlineData(".dot@fabrikam.example", "invalid")]
    public async Task Invite_RefusedAddress_Gets400WithGraphMessage(string email, string message)
    {
        var graph = await _tenant.GraphAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Invitations.PostAsync(
            new Invitation { InvitedUserEmailAddress = email, InviteRedirectUrl = "https://p" }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains(message, error.Error!.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Error.Code);
    }

    [Fact]
    public async Task Invite_ResetRedemption_KeepsObjectIdAndReturnsToPending()
    {
        var graph = await _tenant.GraphAsync();
        var first = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "r@fabrikam.example", InviteRedirectUrl = "https://p" });
        using (var accept = await _tenant.Http.PostAsync(first!.InviteRedeemUrl, null))
        {
            accept.EnsureSuccessStatusCode();
        }

        var reset = await graph.Invitations.PostAsync(new Invitation
        {
            InvitedUserEmailAddress = "r.new@fabrikam.example",
            InviteRedirectUrl = "https://p",
            ResetRedemption = true,
            InvitedUser = new User { Id = first.InvitedUser!.Id },
        });

        Assert.Equal(first.InvitedUser.Id, reset!.InvitedUser!.Id);
        var user = await graph.Users[first.InvitedUser.Id].GetAsync(r => r.QueryParameters.Select = ["externalUserState", "mail"]);
        Assert.Equal(("PendingAcceptance", "r.new@fabrikam.example"), (user!.ExternalUserState, user.Mail));
    }

    [Fact]
    public async Task Invite_ResetRedemptionWithoutUserReadWriteAllOrForRoleHolder_Is403()
    {
        var graph = await _tenant.GraphAsync();
        var guest = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "keep@fabrikam.example", InviteRedirectUrl = "https://p" });
        Invitation Reset(string id) => new() { InvitedUserEmailAddress = "keep@fabrikam.example", InviteRedirectUrl = "https://p", ResetRedemption = true, InvitedUser = new User { Id = id } };

        var roleHolder = await Assert.ThrowsAsync<ODataError>(() => graph.Invitations.PostAsync(Reset("0a1b2c3d-0002-4000-8000-000000000002")));
        Assert.Null(_tenant.Server.Tenant.SetPortalGraphConsent(_tenant.Server.Tenant.PortalGraphConsent.Where(p => p != "User.ReadWrite.All").ToList()));
        var withoutPermission = await Assert.ThrowsAsync<ODataError>(() => graph.Invitations.PostAsync(Reset(guest!.InvitedUser!.Id!)));
        var plainInvite = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "keep@fabrikam.example", InviteRedirectUrl = "https://p" });

        Assert.Equal((403, "Authorization_RequestDenied"), (roleHolder.ResponseStatusCode, roleHolder.Error!.Code));
        Assert.Contains("directory role", roleHolder.Error.Message, StringComparison.Ordinal);
        Assert.Equal((403, "Authorization_RequestDenied"), (withoutPermission.ResponseStatusCode, withoutPermission.Error!.Code));
        Assert.Equal(guest!.InvitedUser!.Id, plainInvite!.InvitedUser!.Id);
    }

    [Fact]
    public async Task Redeem_Accept_SetsAcceptedAndChangeTime()
    {
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "a@fabrikam.example", InviteRedirectUrl = "https://p" });
        var before = (await graph.Users[invitation!.InvitedUser!.Id].GetAsync(r => r.QueryParameters.Select = ["externalUserStateChangeDateTime"]))!
            .ExternalUserStateChangeDateTime;

        var page = await _tenant.Http.GetStringAsync(invitation.InviteRedeemUrl);
        Assert.Contains("<button type=\"submit\">Accept invitation</button>", page, StringComparison.Ordinal);
        using var accept = await _tenant.Http.PostAsync(invitation.InviteRedeemUrl, null);

        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        var user = await graph.Users[invitation.InvitedUser.Id].GetAsync(r =>
            r.QueryParameters.Select = ["externalUserState", "externalUserStateChangeDateTime"]);
        Assert.Equal("Accepted", user!.ExternalUserState);
        Assert.True(user.ExternalUserStateChangeDateTime >= before);
    }

    [Fact]
    public async Task GetUsers_IdempotencyFilter_FindsGuestByMailUpnOrOtherMails()
    {
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "o'neil@fabrikam.example", InviteRedirectUrl = "https://p" });

        var address = "O''Neil@fabrikam.example";
        var found = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"mail eq '{address}' or userPrincipalName eq '{address}' or otherMails/any(x:x eq '{address}')";
            r.QueryParameters.Select = ["id", "mail", "externalUserState"];
        });

        var user = Assert.Single(found!.Value!);
        Assert.Equal(invitation!.InvitedUser!.Id, user.Id);

        var none = await graph.Users.GetAsync(r => r.QueryParameters.Filter = "mail eq 'nobody@fabrikam.example' or otherMails/any(x:x eq 'nobody@fabrikam.example')");
        Assert.Empty(none!.Value!);
    }

    [Fact]
    public async Task GetUsers_IdInFilterWithSelect_ReturnsOnlyThoseWithState()
    {
        var graph = await _tenant.GraphAsync();
        var ids = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = $"g{i}@fabrikam.example", InviteRedirectUrl = "https://p" });
            ids.Add(invitation!.InvitedUser!.Id!);
        }

        var users = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"id in ({string.Join(',', ids.Select(id => $"'{id}'"))})";
            r.QueryParameters.Select = ["id", "externalUserState", "externalUserStateChangeDateTime"];
        });

        Assert.Equal(ids.Order(), users!.Value!.Select(u => u.Id!).Order());
        Assert.All(users.Value!, u => Assert.Equal("PendingAcceptance", u.ExternalUserState));
        Assert.All(users.Value!, u => Assert.Null(u.DisplayName));

        var tooMany = await Assert.ThrowsAsync<ODataError>(() => graph.Users.GetAsync(r =>
            r.QueryParameters.Filter = $"id in ({string.Join(',', Enumerable.Range(0, 16).Select(i => $"'{i}'"))})"));
        Assert.Equal(400, tooMany.ResponseStatusCode);
    }

    [Fact]
    public async Task GetUsers_FilterByExternalUserState_ReturnsPendingGuestsOnly()
    {
        var graph = await _tenant.GraphAsync();
        await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "p1@fabrikam.example", InviteRedirectUrl = "https://p" });

        var users = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = "externalUserState eq 'PendingAcceptance' and userType eq 'Guest'";
            r.QueryParameters.Select = ["mail"];
        });

        Assert.Equal("p1@fabrikam.example", Assert.Single(users!.Value!).Mail);
    }

    [Fact]
    public async Task GetUsers_Top_PagesWithNextLinkThroughPageIterator()
    {
        var graph = await _tenant.GraphAsync();
        for (var i = 0; i < 12; i++)
        {
            await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = $"page{i}@fabrikam.example", InviteRedirectUrl = "https://p" });
        }

        var first = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Top = 5;
            r.QueryParameters.Select = ["id", "mail"];
            r.QueryParameters.Filter = "userType eq 'Guest'";
        });
        Assert.Equal(5, first!.Value!.Count);
        Assert.Contains("$skiptoken=", first.OdataNextLink, StringComparison.Ordinal);

        var seen = new List<string>();
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(graph, first, user =>
        {
            seen.Add(user.Mail!);
            return true;
        });
        await iterator.IterateAsync();

        // 12 invited guests plus the seeded blocked guest, each exactly once.
        Assert.Equal(13, seen.Distinct().Count());
        Assert.Equal(13, seen.Count);
    }

    [Fact]
    public async Task GetUsers_TopAbove999_Is400()
    {
        var graph = await _tenant.GraphAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users.GetAsync(r => r.QueryParameters.Top = 1000));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task GetUser_Unknown_Is404()
    {
        var graph = await _tenant.GraphAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Guid.NewGuid().ToString()].GetAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", error.Error!.Code);
    }

    [Fact]
    public async Task AddGroupMember_ThenListMembers_ThenAddAgainIs400()
    {
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "m@fabrikam.example", InviteRedirectUrl = "https://p" });
        // A fresh body each time: the SDK's backing store sends only properties changed since the last serialization.
        ReferenceCreate Reference() => new() { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{invitation!.InvitedUser!.Id}" };

        await graph.Groups[FabrikamGroupId].Members.Ref.PostAsync(Reference());
        var members = await graph.Groups[FabrikamGroupId].Members.GetAsync();
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[FabrikamGroupId].Members.Ref.PostAsync(Reference()));

        var member = Assert.IsType<User>(Assert.Single(members!.Value!));
        Assert.Equal(invitation!.InvitedUser!.Id, member.Id);
        Assert.Equal(400, again.ResponseStatusCode);
        Assert.Equal(
            "One or more added object references already exist for the following modified properties: 'members'.",
            again.Error!.Message);
    }

    [Fact]
    public async Task AddGroupMember_UnknownGroup_Is404()
    {
        var graph = await _tenant.GraphAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[Guid.NewGuid().ToString()].Members.Ref.PostAsync(
            new ReferenceCreate { OdataId = "https://graph.microsoft.com/v1.0/directoryObjects/0a1b2c3d-0001-4000-8000-000000000001" }));

        Assert.Equal(404, error.ResponseStatusCode);
    }

    [Fact]
    public async Task AssignApplication_ResolveByAppIdThenAssign_ListsAssignment()
    {
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "app@fabrikam.example", InviteRedirectUrl = "https://p" });

        var sps = await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{ExtranetAppId}'");
        var sp = Assert.Single(sps!.Value!);
        Assert.Equal(Guid.Parse(ExtranetRoleId), Assert.Single(sp.AppRoles!).Id);

        var created = await graph.ServicePrincipals[sp.Id].AppRoleAssignedTo.PostAsync(new AppRoleAssignment
        {
            PrincipalId = Guid.Parse(invitation!.InvitedUser!.Id!),
            ResourceId = Guid.Parse(sp.Id!),
            AppRoleId = Guid.Parse(ExtranetRoleId),
        });
        var listed = await graph.ServicePrincipals[sp.Id].AppRoleAssignedTo.GetAsync();

        Assert.Equal(Guid.Parse(invitation.InvitedUser.Id!), created!.PrincipalId);
        Assert.Equal(created.Id, Assert.Single(listed!.Value!).Id);
    }

    [Fact]
    public async Task AssignApplication_WithoutRoles_UsesDefaultRoleAndRefusesDuplicate()
    {
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "sup@fabrikam.example", InviteRedirectUrl = "https://p" });
        var sp = Assert.Single((await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{SupplierPortalAppId}'"))!.Value!);
        var assignment = new AppRoleAssignment
        {
            PrincipalId = Guid.Parse(invitation!.InvitedUser!.Id!),
            ResourceId = Guid.Parse(sp.Id!),
            AppRoleId = Guid.Empty,
        };

        await graph.ServicePrincipals[sp.Id].AppRoleAssignedTo.PostAsync(assignment);
        var duplicate = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[sp.Id].AppRoleAssignedTo.PostAsync(assignment));

        Assert.Equal(400, duplicate.ResponseStatusCode);
    }

    [Fact]
    public async Task Graph_NoToken_Is401()
    {
        using var response = await _tenant.SendGraphAsync(HttpMethod.Get, "/users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"InvalidAuthenticationToken\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_TokenForAnotherAudience_Is401()
    {
        var apiToken = await _tenant.TokenAsync(scope: SimulatedTenantDefaults.PortalApiScope);

        using var response = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: apiToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Graph_ClientWithoutPermission_Is403()
    {
        var token = await _tenant.TokenAsync(SimulatedTenantDefaults.AutomationClientId, SimulatedTenantDefaults.AutomationClientSecret);
        var graph = await _tenant.GraphAsync(token);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Invitations.PostAsync(
            new Invitation { InvitedUserEmailAddress = "x@fabrikam.example", InviteRedirectUrl = "https://p" }));

        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", error.Error!.Code);
        Assert.DoesNotContain(_tenant.Server.Tenant.Users(), u => u.Mail == "x@fabrikam.example");
    }

    [Fact]
    public async Task Batch_InnerRequestsAnsweredOnTheirOwn_IncludingInner429()
    {
        await _tenant.PutFaultsAsync(new { invitationsPer5s = 2, retryAfterSeconds = 3 });
        var graph = await _tenant.GraphAsync();
        var batch = new BatchRequestContentCollection(graph);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await batch.AddBatchRequestStepAsync(graph.Invitations.ToPostRequestInformation(
                new Invitation { InvitedUserEmailAddress = $"b{i}@fabrikam.example", InviteRedirectUrl = "https://p" })));
        }

        ids.Add(await batch.AddBatchRequestStepAsync(graph.Groups[Guid.NewGuid().ToString()].ToGetRequestInformation()));

        var response = await graph.Batch.PostAsync(batch);
        var statuses = await response.GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.Created, statuses[ids[0]]);
        Assert.Equal(HttpStatusCode.Created, statuses[ids[1]]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[ids[2]]);
        Assert.Equal(HttpStatusCode.NotFound, statuses[ids[3]]);
        var created = await response.GetResponseByIdAsync<Invitation>(ids[0]);
        Assert.Equal("PendingAcceptance", created.Status);
        using var throttled = await response.GetResponseByIdAsync(ids[2]);
        Assert.NotNull(throttled.Headers.RetryAfter);

        var stats = _tenant.Server.Tenant.Stats;
        Assert.Equal(1, stats.Requests("POST /$batch"));
        Assert.Equal(3, stats.Requests("POST /invitations"));
        Assert.Equal(1, stats.Requests("GET /groups/{id}"));
        Assert.Equal(1, stats.Responses(429));
    }

    [Fact]
    public async Task Batch_MoreThan20Requests_Is400()
    {
        var token = await _tenant.TokenAsync();
        var requests = Enumerable.Range(1, 21).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), method = "GET", url = "/users" });

        using var response = await _tenant.SendGraphAsync(HttpMethod.Post, "/$batch", new { requests }, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
