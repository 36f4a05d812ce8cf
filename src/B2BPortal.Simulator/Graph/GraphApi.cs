using System.Globalization;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Faults;
using B2BPortal.Simulator.Tenant;
using Microsoft.AspNetCore.WebUtilities;

namespace B2BPortal.Simulator.Graph;

/// <summary>Who is calling (the permissions of the token and whom it acts as) and where the tenant lives, for one Graph request.</summary>
internal sealed record GraphCaller(TenantUrls Urls, IReadOnlySet<string> Permissions, GraphPrincipal Principal);

/// <summary>A Graph operation: its path template (as counted in stats), the permissions any of which allow it, the handler.</summary>
internal sealed record GraphRoute(
    string Method,
    string Template,
    string[] Permissions,
    Func<GraphRequest, string[], GraphCaller, SimulatedTenant, GraphResult> Handle);

/// <summary>The Graph subset: routing and the operations, independent of HTTP so $batch can reuse it.</summary>
internal static class GraphApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 999;

    private static readonly string[] InvitePermissions = ["User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] UserReadPermissions = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] GroupReadPermissions =
        ["GroupMember.Read.All", "GroupMember.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] GroupWritePermissions = ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] ApplicationReadPermissions =
        ["Application.Read.All", "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] AssignmentWritePermissions = ["AppRoleAssignment.ReadWrite.All"];
    private static readonly string[] RegistrationReadPermissions =
        ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] PolicyReadPermissions = ["Policy.Read.All", "Policy.ReadWrite.Authorization"];
    private static readonly string[] MailSendPermissions = ["Mail.Send"];

    // Get organization (learn.microsoft.com/graph/api/organization-get): delegated User.Read reads id, displayName and
    // verifiedDomains; app-only needs Organization.Read.All (or a higher one).
    private static readonly string[] OrganizationReadPermissions =
        ["User.Read", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] ResetPermissions = ["User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] UserWritePermissions = ["User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] SignInActivityPermissions = ["AuditLog.Read.All"];

    // Sponsors (learn.microsoft.com/graph/api/user-post-sponsors, user-list-sponsors): adding needs User.ReadWrite.All
    // (or Directory.ReadWrite.All), and a delegated caller must also hold a role with users/sponsors/update
    // (least privileged: Directory Writers, User Administrator; Global Administrator has every permission).
    private static readonly string[] SponsorWritePermissions = ["User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] SponsorReadPermissions = ["User.Read", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] SponsorWriteRoles =
        [SimulatedTenantDefaults.GlobalAdministratorRoleId, SimulatedTenantDefaults.UserAdministratorRoleId, DirectoryWritersRoleId];

    private const string DirectoryWritersRoleId = "9360feb5-f418-4baa-8175-e2a00bac4301";

    // The seed's read-only sets; declared before Routes, which takes their routes.
    private static readonly EntitySet<SimulatedGroup> Groups =
        new("groups", GraphShapes.Group, t => t.Groups, (t, id) => t.FindGroup(id));
    private static readonly EntitySet<SimulatedApplication> ServicePrincipals =
        new("servicePrincipals", GraphShapes.ServicePrincipal, t => t.Applications, (t, id) => t.FindServicePrincipal(id));
    private static readonly EntitySet<SimulatedApplication> Applications =
        new("applications", GraphShapes.Application, t => t.Applications,
            (t, id) => t.Applications.FirstOrDefault(a => string.Equals(a.ApplicationObjectId, id, StringComparison.OrdinalIgnoreCase)));

    public static readonly IReadOnlyList<GraphRoute> Routes =
    [
        new("POST", "/invitations", InvitePermissions, Invite),
        new("GET", "/users", UserReadPermissions, ListUsers),
        new("GET", "/users/{id}", UserReadPermissions, GetUser),
        new("DELETE", "/users/{id}", UserWritePermissions, DeleteUser),
        new("GET", "/directory/deletedItems/microsoft.graph.user", UserReadPermissions, ListDeletedUsers),
        new("POST", "/directory/deletedItems/{id}/restore", UserWritePermissions, RestoreUser),
        .. Groups.ReadRoutes(GroupReadPermissions),
        new("GET", "/groups/{id}/members", GroupReadPermissions, ListGroupMembers),
        new("POST", "/groups/{id}/members/$ref", GroupWritePermissions, AddGroupMember),
        new("PATCH", "/groups/{id}", GroupWritePermissions, UpdateGroupMembers),
        .. ServicePrincipals.ReadRoutes(ApplicationReadPermissions),
        new("GET", "/servicePrincipals/{id}/appRoleAssignedTo", ApplicationReadPermissions, ListAssignments),
        new("POST", "/servicePrincipals/{id}/appRoleAssignedTo", AssignmentWritePermissions, Assign),
        .. Applications.ReadRoutes(RegistrationReadPermissions),
        new("GET", "/policies/authorizationPolicy", PolicyReadPermissions, GraphPolicies.AuthorizationPolicy),
        new("GET", "/organization", OrganizationReadPermissions, GraphPolicies.Organization),
        new("GET", "/users/{id}/sponsors", SponsorReadPermissions, ListSponsors),
        new("POST", "/users/{id}/sponsors/$ref", SponsorWritePermissions, AddSponsor),
        new("POST", "/users/{id}/sendMail", MailSendPermissions, GraphMail.SendAsUser),
        new("POST", "/me/sendMail", MailSendPermissions, GraphMail.SendAsMe),
    ];

    /// <summary>Finds the route for a path; <c>PathKnown</c> tells 405 (known path, other method) from 400 (unknown segment).</summary>
    public static (GraphRoute? Route, string[] Ids, bool PathKnown) Match(string method, string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var pathKnown = false;
        foreach (var route in Routes)
        {
            var template = route.Template.Trim('/').Split('/');
            if (template.Length != segments.Length)
            {
                continue;
            }

            var ids = new List<string>();
            var matches = true;
            for (var i = 0; i < template.Length && matches; i++)
            {
                if (template[i] == "{id}")
                {
                    ids.Add(segments[i]);
                }
                else
                {
                    matches = string.Equals(template[i], segments[i], StringComparison.OrdinalIgnoreCase);
                }
            }

            if (!matches)
            {
                continue;
            }

            pathKnown = true;
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                return (route, [.. ids], true);
            }
        }

        return (null, [], pathKnown);
    }

    /// <summary>Runs one Graph request whose caller is already authenticated; faults other than the invitation limits are applied by the caller.</summary>
    public static GraphResult Execute(GraphRequest request, GraphCaller caller, SimulatedTenant tenant, out string template)
    {
        var (route, ids, pathKnown) = Match(request.Method, request.Path);
        if (route is null)
        {
            template = "(unmatched)";
            return pathKnown
                ? GraphResult.Error(405, "Request_BadRequest", $"The HTTP method '{request.Method}' is not allowed for '{request.Path}'.")
                : GraphResult.Error(400, "BadRequest", $"Resource not found for the segment '{request.Path.Trim('/').Split('/')[0]}'.");
        }

        template = route.Template;
        if (!route.Permissions.Any(caller.Permissions.Contains))
        {
            return GraphResult.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }

        try
        {
            return route.Handle(request, ids, caller, tenant);
        }
        catch (GraphFilterException e)
        {
            return GraphResult.Error(400, "Request_UnsupportedQuery", e.Message);
        }
    }

    private static GraphResult Invite(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        // Graph counts every request to /invitations against the tenant's limits, whatever its body says.
        switch (tenant.Faults.AdmitInvitation())
        {
            case InvitationAdmission.AbuseBlocked:
                return GraphResult.Error(403, "Forbidden",
                    "Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support.");
            case InvitationAdmission.RateLimited:
                return GraphResult.Throttled(tenant.Faults.SecondsUntilInvitationSlot(),
                    "Too many invitations for this tenant. Wait for the time in Retry-After and try again.");
        }

        if (tenant.InvitationRefusal(caller.Principal) is { } refused)
        {
            return GraphResult.Error(refused);
        }

        if (request.Body is not JsonObject body)
        {
            return GraphResult.Error(400, "BadRequest", "The request body must be a JSON invitation.");
        }

        var email = Text(body, "invitedUserEmailAddress")?.Trim();
        var redirect = Text(body, "inviteRedirectUrl");
        if (string.IsNullOrEmpty(email))
        {
            return GraphResult.Error(400, "BadRequest", "Required property 'invitedUserEmailAddress' is missing.");
        }

        if (string.IsNullOrEmpty(redirect))
        {
            return GraphResult.Error(400, "BadRequest", "Required property 'inviteRedirectUrl' is missing.");
        }

        var messageInfo = body["invitedUserMessageInfo"] as JsonObject;
        var cc = (messageInfo?["ccRecipients"] as JsonArray)?
            .Select(r => r?["emailAddress"]?["address"]?.GetValue<string>())
            .OfType<string>()
            .ToList() ?? [];
        if (cc.Count > 1)
        {
            return GraphResult.Error(400, "BadRequest", "Only one ccRecipient is supported.");
        }

        var userType = Text(body, "invitedUserType") ?? "Guest";
        if (userType is not ("Guest" or "Member"))
        {
            return GraphResult.Error(400, "BadRequest", "invitedUserType must be Guest or Member.");
        }

        var invitation = new InvitationRequest(
            email,
            redirect,
            Text(body, "invitedUserDisplayName"),
            Flag(body, "sendInvitationMessage"),
            Text(messageInfo, "messageLanguage"),
            Text(messageInfo, "customizedMessageBody"),
            cc,
            userType,
            Flag(body, "resetRedemption"),
            body["invitedUser"]?["id"]?.GetValue<string>());

        // Reset redemption status: "User.ReadWrite.All" as well (Entra's Reset redemption status), and never for a
        // user who holds a directory role.
        if (invitation.ResetRedemption)
        {
            if (!ResetPermissions.Any(caller.Permissions.Contains))
            {
                return GraphResult.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            }

            if (invitation.InvitedUserId is { } target && tenant.FindPerson(target) is { Roles.Count: > 0 })
            {
                return GraphResult.Error(403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation. The redemption status of a user who holds a directory role cannot be reset.");
            }
        }

        var (result, error) = tenant.Invite(invitation, caller.Principal, caller.Urls.Base);
        if (error is not null)
        {
            return GraphResult.Error(error);
        }

        var response = new JsonObject
        {
            ["@odata.context"] = $"{caller.Urls.GraphBase}/$metadata#invitations/$entity",
            ["id"] = result!.InvitationId,
            ["inviteRedeemUrl"] = result.RedeemUrl,
            ["invitedUserDisplayName"] = invitation.DisplayName,
            ["invitedUserType"] = result.User.UserType,
            ["invitedUserEmailAddress"] = invitation.Email,
            ["sendInvitationMessage"] = invitation.SendInvitationMessage,
            ["resetRedemption"] = invitation.ResetRedemption,
            ["inviteRedirectUrl"] = invitation.RedirectUrl,
            ["status"] = result.Status,
            ["invitedUserMessageInfo"] = new JsonObject
            {
                ["messageLanguage"] = Text(messageInfo, "messageLanguage"),
                ["customizedMessageBody"] = invitation.CustomMessage,
                ["ccRecipients"] = new JsonArray([.. cc.Select(a => (JsonNode)new JsonObject
                {
                    ["emailAddress"] = new JsonObject { ["name"] = null, ["address"] = a },
                })]),
            },
            ["invitedUser"] = new JsonObject { ["id"] = result.User.Id },
        };
        return new GraphResult(201, response);
    }

    private static GraphResult ListUsers(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        SignInActivityRefusal(request, caller, tenant) is { } refused
            ? GraphResult.Error(refused)
            : List(request, caller, "users", GraphShapes.User, tenant.VisibleUsers());

    private static GraphResult GetUser(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        SignInActivityRefusal(request, caller, tenant) is { } refused
            ? GraphResult.Error(refused)
            : SingleOrNotFound(request, ids, caller, "users", GraphShapes.User, tenant.FindVisibleUser(ids[0]));

    /// <summary>
    /// signInActivity (in $select or $filter) needs AuditLog.Read.All besides the user read permission, and a tenant with
    /// Microsoft Entra ID P1 or P2; the licence refusal's code and text are what Graph answers (docs/graph.md, observed).
    /// </summary>
    private static TenantError? SignInActivityRefusal(GraphRequest request, GraphCaller caller, SimulatedTenant tenant)
    {
        var asks = new[] { "$select", "$filter" }.Any(p =>
            request.Query.GetValueOrDefault(p)?.Contains("signInActivity", StringComparison.OrdinalIgnoreCase) == true);
        if (!asks)
        {
            return null;
        }

        if (!SignInActivityPermissions.Any(caller.Permissions.Contains))
        {
            return new TenantError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }

        return tenant.PremiumLicense
            ? null
            : new TenantError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                "Neither tenant is B2C or tenant doesn't have premium license");
    }

    private static GraphResult DeleteUser(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        if (WriteThrottled(tenant) is { } throttled)
        {
            return throttled;
        }

        var error = tenant.DeleteUser(ids[0], caller.Principal);
        return error is null ? new GraphResult(204, null) : GraphResult.Error(error);
    }

    private static GraphResult ListDeletedUsers(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        List(request, caller, "directoryObjects/microsoft.graph.user", GraphShapes.User, tenant.DeletedUsers());

    private static GraphResult RestoreUser(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        if (WriteThrottled(tenant) is { } throttled)
        {
            return throttled;
        }

        var (user, error) = tenant.RestoreUser(ids[0], caller.Principal);
        if (error is not null)
        {
            return GraphResult.Error(error);
        }

        var json = GraphShapes.User.ToJson(user!, null, withType: true);
        json.Insert(0, "@odata.context", $"{caller.Urls.GraphBase}/$metadata#directoryObjects/$entity");
        return new GraphResult(200, json);
    }

    private static GraphResult ListGroupMembers(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        tenant.FindGroup(ids[0]) is null
            ? GraphResult.Error(TenantError.NotFound(ids[0]))
            : List(request, caller, "directoryObjects", GraphShapes.User, tenant.GroupMembers(ids[0]), withType: true);

    /// <summary>Identity writes count against Graph's write quota (3,000 per 150 s per app and tenant).</summary>
    private static GraphResult? WriteThrottled(SimulatedTenant tenant) =>
        tenant.Faults.AdmitWrite() is { } seconds
            ? GraphResult.Throttled(seconds, "Too many write requests for this application in this tenant. Wait for the time in Retry-After and try again.")
            : null;

    private static GraphResult AddGroupMember(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        if (WriteThrottled(tenant) is { } throttled)
        {
            return throttled;
        }

        if (tenant.FindGroup(ids[0]) is null)
        {
            return GraphResult.Error(TenantError.NotFound(ids[0]));
        }

        var reference = Text(request.Body as JsonObject, "@odata.id");
        if (string.IsNullOrEmpty(reference))
        {
            return GraphResult.Error(400, "Request_BadRequest", "Missing '@odata.id' in the request body.");
        }

        var memberId = reference.TrimEnd('/').Split('/')[^1];
        var error = tenant.AddGroupMember(ids[0], memberId);
        return error is null ? new GraphResult(204, null) : GraphResult.Error(error);
    }

    /// <summary>Graph's most members one <c>members@odata.bind</c> request may add (Add members: "up to only 20").</summary>
    internal const int MaxMembersPerBind = 20;

    /// <summary>
    /// <c>PATCH /groups/{id}</c> with <c>members@odata.bind</c>: up to 20 members in one write, all or nothing. Only that
    /// property is served; a body asking to change anything else is refused rather than ignored.
    /// </summary>
    private static GraphResult UpdateGroupMembers(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        if (request.Body is not JsonObject body || body.Count == 0)
        {
            return GraphResult.Error(400, "Request_BadRequest", "The request body is empty or is not a JSON object.");
        }

        // The SDK's Group model always sends its @odata.type; anything else would be a change the simulator does not make.
        if (body.Select(p => p.Key).FirstOrDefault(k => k != "members@odata.bind" && k != "@odata.type") is { } other)
        {
            return GraphResult.Error(400, "Request_BadRequest", $"The simulated tenant updates only 'members@odata.bind' on a group, not '{other}'.");
        }

        if (body["members@odata.bind"] is not JsonArray references || references.Count == 0
            || references.Any(r => r is not JsonValue v || !v.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text)))
        {
            return GraphResult.Error(400, "Request_BadRequest", "'members@odata.bind' must be an array of directory object URLs.");
        }

        if (references.Count > MaxMembersPerBind)
        {
            return GraphResult.Error(400, "Request_BadRequest",
                $"A single request can add at most {MaxMembersPerBind} members; this one adds {references.Count}.");
        }

        if (WriteThrottled(tenant) is { } throttled)
        {
            return throttled;
        }

        var memberIds = references.Select(r => r!.GetValue<string>().TrimEnd('/').Split('/')[^1]).ToList();
        var error = tenant.AddGroupMembers(ids[0], memberIds);
        return error is null ? new GraphResult(204, null) : GraphResult.Error(error);
    }

    private static GraphResult ListSponsors(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        tenant.FindVisibleUser(ids[0]) is not { } user
            ? GraphResult.Error(TenantError.NotFound(ids[0]))
            : List(request, caller, $"users('{user.Id}')/sponsors", GraphShapes.User, tenant.Sponsors(user.Id), withType: true);

    private static GraphResult AddSponsor(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        if (caller.Principal.Person is { } person && !person.Roles.Any(r => SponsorWriteRoles.Contains(r.TemplateId, StringComparer.OrdinalIgnoreCase)))
        {
            return GraphResult.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }

        if (WriteThrottled(tenant) is { } throttled)
        {
            return throttled;
        }

        var reference = Text(request.Body as JsonObject, "@odata.id");
        if (string.IsNullOrEmpty(reference))
        {
            return GraphResult.Error(400, "Request_BadRequest", "Missing '@odata.id' in the request body.");
        }

        var sponsorId = reference.TrimEnd('/').Split('/')[^1];
        var user = tenant.FindVisibleUser(ids[0]);
        var error = user is null ? TenantError.NotFound(ids[0]) : tenant.AddSponsor(user.Id, sponsorId);
        return error is null ? new GraphResult(204, null) : GraphResult.Error(error);
    }

    private static GraphResult ListAssignments(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        tenant.FindServicePrincipal(ids[0]) is null
            ? GraphResult.Error(TenantError.NotFound(ids[0]))
            : List(request, caller, $"servicePrincipals('{ids[0]}')/appRoleAssignedTo", GraphShapes.AppRoleAssignment, tenant.AppRoleAssignedTo(ids[0]));

    private static GraphResult Assign(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        if (WriteThrottled(tenant) is { } throttled)
        {
            return throttled;
        }

        var body = request.Body as JsonObject;
        var principalId = Text(body, "principalId");
        var resourceId = Text(body, "resourceId");
        var appRoleId = Text(body, "appRoleId");
        if (principalId is null || resourceId is null || appRoleId is null)
        {
            return GraphResult.Error(400, "Request_BadRequest", "principalId, resourceId and appRoleId are required.");
        }

        var (assignment, error) = tenant.AssignAppRole(ids[0], principalId, resourceId, appRoleId);
        if (error is not null)
        {
            return GraphResult.Error(error);
        }

        var json = GraphShapes.AppRoleAssignment.ToJson(assignment!, null);
        json.Insert(0, "@odata.context", $"{caller.Urls.GraphBase}/$metadata#servicePrincipals('{ids[0]}')/appRoleAssignedTo/$entity");
        return new GraphResult(201, json);
    }

    /// <summary>An entity set that is only read (the seed's groups, service principals and app registrations): list and get by id.</summary>
    private sealed record EntitySet<T>(
        string Name, EntityShape<T> Shape, Func<SimulatedTenant, IReadOnlyList<T>> All, Func<SimulatedTenant, string, T?> Find)
        where T : class
    {
        /// <summary><c>GET /{set}</c> and <c>GET /{set}/{id}</c>, each allowed by any of the read permissions.</summary>
        public GraphRoute[] ReadRoutes(string[] permissions) =>
        [
            new("GET", $"/{Name}", permissions, List),
            new("GET", $"/{Name}/{{id}}", permissions, Get),
        ];

        private GraphResult List(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
            GraphApi.List(request, caller, Name, Shape, All(tenant));

        private GraphResult Get(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
            SingleOrNotFound(request, ids, caller, Name, Shape, Find(tenant, ids[0]));
    }

    /// <summary>The entity addressed by <c>ids[0]</c>, or Graph's 404 for that id when there is none.</summary>
    private static GraphResult SingleOrNotFound<T>(GraphRequest request, string[] ids, GraphCaller caller, string entitySet, EntityShape<T> shape, T? item)
        where T : class =>
        item is null ? GraphResult.Error(TenantError.NotFound(ids[0])) : Single(request, caller, entitySet, shape, item);

    private static GraphResult Single<T>(GraphRequest request, GraphCaller caller, string entitySet, EntityShape<T> shape, T item)
    {
        var (selected, error) = shape.Select(request.Query.GetValueOrDefault("$select"));
        if (error is not null)
        {
            return GraphResult.Error(400, "Request_BadRequest", error);
        }

        var json = shape.ToJson(item, selected);
        json.Insert(0, "@odata.context", $"{caller.Urls.GraphBase}/$metadata#{entitySet}{SelectSuffix(selected)}/$entity");
        return new GraphResult(200, json);
    }

    /// <summary>A collection with $select, $filter, $top and $skiptoken paging; the skip token is the offset into the filtered list.</summary>
    private static GraphResult List<T>(
        GraphRequest request, GraphCaller caller, string entitySet, EntityShape<T> shape, IReadOnlyList<T> items, bool withType = false)
    {
        var (selected, error) = shape.Select(request.Query.GetValueOrDefault("$select"));
        if (error is not null)
        {
            return GraphResult.Error(400, "Request_BadRequest", error);
        }

        var pageSize = DefaultPageSize;
        if (request.Query.TryGetValue("$top", out var top))
        {
            if (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize)
            {
                return GraphResult.Error(400, "Request_UnsupportedQuery",
                    $"Invalid page size specified: '{top}'. Must be between 1 and {MaxPageSize} inclusive.");
            }
        }

        var offset = 0;
        if (request.Query.TryGetValue("$skiptoken", out var skip)
            && (!int.TryParse(skip, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            return GraphResult.Error(400, "Request_UnsupportedQuery", "Invalid $skiptoken.");
        }

        IEnumerable<T> filtered = items;
        if (request.Query.TryGetValue("$filter", out var filter) && !string.IsNullOrWhiteSpace(filter))
        {
            var predicate = GraphFilter.Parse(filter, shape.PropertyNames);
            filtered = items.Where(i => predicate(shape.Getter(i)));
        }

        var matching = filtered.ToList();
        var page = matching.Skip(offset).Take(pageSize).ToList();
        var json = new JsonObject
        {
            ["@odata.context"] = $"{caller.Urls.GraphBase}/$metadata#{entitySet}{SelectSuffix(selected)}",
        };
        if (request.Query.TryGetValue("$count", out var count) && string.Equals(count, "true", StringComparison.OrdinalIgnoreCase))
        {
            json["@odata.count"] = matching.Count;
        }

        if (offset + page.Count < matching.Count)
        {
            var query = request.Query
                .Where(p => p.Key != "$skiptoken")
                .Append(new KeyValuePair<string, string>("$skiptoken", (offset + page.Count).ToString(CultureInfo.InvariantCulture)))
                .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value));
            json["@odata.nextLink"] = QueryHelpers.AddQueryString($"{caller.Urls.GraphBase}{request.Path}", query);
        }

        json["value"] = new JsonArray([.. page.Select(i => (JsonNode)shape.ToJson(i, selected, withType))]);
        return new GraphResult(200, json);
    }

    private static string SelectSuffix(string[]? selected) => selected is null ? string.Empty : $"({string.Join(',', selected)})";

    internal static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Flag(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
