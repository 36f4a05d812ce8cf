using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Graph;
using B2BPortal.Simulator.Identity;
using B2BPortal.Simulator.Pages;

namespace B2BPortal.Simulator.Tenant;

/// <summary>The tenant's own control surface: about, mailbox, faults, policy, sessions, reset, stats (README "The simulated tenant") and the redeem pages.</summary>
internal static class TenantEndpoints
{
    public static void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/about", About);
        tenant.MapGet("/mailbox", (SimulatedTenant t) => Results.Json(t.Mailbox().Select(MailJson), SimulatorJson.Options));
        tenant.MapGet("/mailbox/view", MailboxPage);
        tenant.MapGet("/faults", (SimulatedTenant t) => Results.Json(t.FaultSettings, SimulatorJson.Options));
        tenant.MapPut("/faults", UpdateFaults);
        tenant.MapPost("/reset", (SimulatedTenant t) =>
        {
            t.Reset();
            return Results.NoContent();
        });
        tenant.MapGet("/stats", Stats);
        tenant.MapGet("/policy", (SimulatedTenant t) => Results.Json(Policy(t), SimulatorJson.Options));
        tenant.MapPut("/policy", UpdatePolicy);
        tenant.MapGet("/consent", (SimulatedTenant t) => Results.Json(Consent(t), SimulatorJson.Options));
        tenant.MapPut("/consent", UpdateConsent);
        tenant.MapPost("/people/{userPrincipalName}/revoke-sessions", RevokeSessions);
        tenant.MapPut("/users/{idOrUpn}/sign-in", SetLastSignIn);
        tenant.MapPost("/guests", AddGuest);
        tenant.MapGet("/licence", (SimulatedTenant t) => Results.Json(new { p1 = t.PremiumLicense }, SimulatorJson.Options));
        tenant.MapPut("/licence", UpdateLicence);
        tenant.MapGet("/redeem/{token}", RedeemPage);
        tenant.MapPost("/redeem/{token}", Redeem);
    }

    private static IResult About(HttpRequest request, SimulatedTenant tenant, SmtpSink smtp)
    {
        var urls = TenantUrls.For(request);
        return Results.Json(
            new
            {
                tenantId = SimulatedTenantDefaults.TenantId,
                authority = urls.Authority,
                graphBaseUrl = urls.GraphBase,
                metadataUrl = urls.Discovery,
                tokenEndpoint = urls.Token,

                // The HTTPS back channel and the SHA-256 of its self-signed certificate, for a client to pin (null without one).
                secureBaseUrl = tenant.Options.SecureBaseUrl,
                certificateSha256 = tenant.Options.SecureCertificateSha256,
                portalClient = new
                {
                    clientId = SimulatedTenantDefaults.PortalClientId,
                    clientSecret = SimulatedTenantDefaults.PortalClientSecret,
                    graphPermissions = TenantSeed.PortalClient.GraphPermissions,
                },
                automationClient = new
                {
                    clientId = SimulatedTenantDefaults.AutomationClientId,
                    clientSecret = SimulatedTenantDefaults.AutomationClientSecret,
                    scope = SimulatedTenantDefaults.PortalApiScope,
                    appRoles = TenantSeed.AutomationClient.PortalApiRoles,
                },
                policy = Policy(tenant),
                people = tenant.People.Select(p => new
                {
                    id = p.Id,
                    userPrincipalName = p.UserPrincipalName,
                    displayName = p.DisplayName,
                    mail = p.Mail,
                    roles = p.Roles.Select(r => r.Name),
                    roleTemplateIds = p.Roles.Select(r => r.TemplateId),
                }),
                groups = tenant.Groups.Select(g => new { id = g.Id, displayName = g.DisplayName }),
                applications = tenant.Applications.Select(a => new
                {
                    appId = a.AppId,
                    displayName = a.DisplayName,
                    servicePrincipalId = a.ServicePrincipalId,
                    applicationObjectId = a.ApplicationObjectId,
                    logoUrl = a.LogoUrl,
                    appRoles = a.AppRoles.Select(r => new { id = r.Id, value = r.Value, displayName = r.DisplayName }),
                }),
                verifiedDomains = tenant.VerifiedDomains,
                blockedDomains = tenant.BlockedDomains,
                blockedGuests = new[] { SimulatedTenantDefaults.BlockedGuestEmail },
                mailbox = $"{urls.Base}{TenantUrls.Prefix}/mailbox",

                // The SMTP sink (a standalone tenant): the portal's SMTP transport (Invitations:Smtp) delivers into the mailbox there.
                smtp = smtp.Port is { } port ? new { host = "127.0.0.1", port } : null,
                mailboxView = $"{urls.Base}{TenantUrls.Prefix}/mailbox/view",

                // Guest lifecycle: Entra ID P1 (signInActivity), last sign-ins, guests created directly in the tenant.
                licence = $"{urls.Base}{TenantUrls.Prefix}/licence",
                setLastSignIn = $"{urls.Base}{TenantUrls.Prefix}/users/{{idOrUpn}}/sign-in",
                createGuest = $"{urls.Base}{TenantUrls.Prefix}/guests",
                deletedUsers = $"{urls.GraphBase}/directory/deletedItems/microsoft.graph.user",
            },
            SimulatorJson.Options);
    }

    private static object MailJson(MailboxMessage m) => new
    {
        id = m.Id,
        kind = m.Kind,
        from = m.From,
        to = m.To,
        cc = m.Cc,
        displayName = m.DisplayName,
        language = m.Language,
        subject = m.Subject,
        body = m.Body,
        html = m.Html,
        customMessage = m.CustomMessage,
        request = m.Kind == MailboxMessage.InvitationKind
            ? new { messageLanguage = m.RequestedLanguage, customizedMessageBody = m.RequestedCustomMessage }
            : null,
        notes = m.Notes,
        redeemUrl = m.RedeemUrl.Length == 0 ? null : m.RedeemUrl,
        inviteRedirectUrl = m.InviteRedirectUrl,
        sentAt = m.SentAt,
        userId = m.UserId,
        invitedBy = m.InvitedBy,
    };

    private static IResult MailboxPage(SimulatedTenant tenant)
    {
        var messages = tenant.Mailbox();
        var body = new StringBuilder($"<p>{messages.Count} email(s), newest first. Each shows what its recipient really reads.</p>");
        if (messages.Count > 0)
        {
            body.Append("<table><thead><tr><th>Sent (UTC)</th><th>Kind</th><th>From</th><th>To</th><th>Name</th><th>By</th>")
                .Append("<th>Language</th><th>Subject and body</th><th>Redeem</th></tr></thead><tbody>");
            foreach (var m in messages.Reverse())
            {
                body.Append("<tr><td>").Append(Html.E(m.SentAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)))
                    .Append("</td><td>").Append(Html.E(m.Kind))
                    .Append("</td><td>").Append(Html.E(m.From))
                    .Append("</td><td>").Append(Html.E(m.To))
                    .Append("</td><td>").Append(Html.E(m.DisplayName))
                    .Append("</td><td>").Append(Html.E(m.InvitedBy))
                    .Append("</td><td>").Append(Html.E(m.Language))
                    .Append("</td><td><strong>").Append(Html.E(m.Subject)).Append("</strong><pre>").Append(Html.E(m.Body)).Append("</pre>");
                foreach (var note in m.Notes)
                {
                    body.Append("<p><small>").Append(Html.E(note)).Append("</small></p>");
                }

                body.Append("</td><td>");
                if (m.RedeemUrl.Length > 0)
                {
                    body.Append("<a href=\"").Append(Html.E(m.RedeemUrl)).Append("\">Open invitation</a>");
                }

                body.Append("</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        return Html.Page("Mailbox", body.ToString());
    }

    private static object Policy(SimulatedTenant tenant) => new
    {
        allowInvitesFrom = tenant.AllowInvitesFrom,
        allowedValues = GuestInvitePolicy.Values,
    };

    /// <summary>The request body as a JSON object; null when it is not one (or not JSON at all), which callers answer with 400.</summary>
    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<IResult> UpdatePolicy(HttpRequest request, SimulatedTenant tenant)
    {
        var update = await ReadObjectAsync(request);

        if (update?["allowInvitesFrom"] is not JsonValue value || !value.TryGetValue<string>(out var setting))
        {
            return Results.Problem(detail: "The body must be a JSON object with a string 'allowInvitesFrom'.", statusCode: 400);
        }

        var error = tenant.SetAllowInvitesFrom(setting);
        return error is null ? Results.Json(Policy(tenant), SimulatorJson.Options) : Results.Problem(detail: error, statusCode: 400);
    }

    private static object Consent(SimulatedTenant tenant) => new { graphPermissions = tenant.PortalGraphConsent.Order(StringComparer.Ordinal) };

    /// <summary><c>{"graphPermissions": [...]}</c>: the portal's consented application permissions (an admin granting or revoking consent).</summary>
    private static async Task<IResult> UpdateConsent(HttpRequest request, SimulatedTenant tenant)
    {
        var update = await ReadObjectAsync(request);

        if (update?["graphPermissions"] is not JsonArray list || list.Any(p => p is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            return Results.Problem(detail: "The body must be a JSON object with 'graphPermissions', an array of permission names.", statusCode: 400);
        }

        var error = tenant.SetPortalGraphConsent(list.Select(p => p!.GetValue<string>()));
        return error is null ? Results.Json(Consent(tenant), SimulatorJson.Options) : Results.Problem(detail: error, statusCode: 400);
    }

    private static IResult RevokeSessions(string userPrincipalName, SimulatedTenant tenant, AuthorizationStore store)
    {
        var person = tenant.FindPerson(userPrincipalName);
        if (person is null)
        {
            return Results.Problem(detail: $"No person '{userPrincipalName}' in the tenant.", statusCode: 404);
        }

        var revoked = store.RevokeSessions(person.Id, tenant.Time.GetUtcNow());
        return Results.Json(new { userPrincipalName = person.UserPrincipalName, revokedRefreshTokens = revoked }, SimulatorJson.Options);
    }

    /// <summary><c>{"lastSignInDateTime": "2026-01-31T12:00:00Z"}</c> (or null: never signed in): what signInActivity reports.</summary>
    private static async Task<IResult> SetLastSignIn(string idOrUpn, HttpRequest request, SimulatedTenant tenant)
    {
        var update = await ReadObjectAsync(request);
        if (update is null || !update.TryGetPropertyValue("lastSignInDateTime", out var value))
        {
            return Results.Problem(detail: "The body must be a JSON object with 'lastSignInDateTime', an ISO 8601 time or null.", statusCode: 400);
        }

        DateTimeOffset? at = null;
        if (value is not null)
        {
            if (value is not JsonValue text || !text.TryGetValue<string>(out var written)
                || !DateTimeOffset.TryParse(written, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Results.Problem(detail: "'lastSignInDateTime' must be an ISO 8601 time or null.", statusCode: 400);
            }

            at = parsed;
        }

        return tenant.SetLastSignIn(idOrUpn, at)
            ? Results.NoContent()
            : Results.Problem(detail: $"No user '{idOrUpn}' in the tenant.", statusCode: 404);
    }

    /// <summary><c>{"email": "…", "displayName": "…", "accepted": true}</c>: a guest created in the tenant directly, not through the portal.</summary>
    private static async Task<IResult> AddGuest(HttpRequest request, SimulatedTenant tenant)
    {
        var body = await ReadObjectAsync(request);
        var email = GraphApi.Text(body, "email");
        if (email is null || InvitationRules.InvalidEmail(email) is not null)
        {
            return Results.Problem(detail: "The body must be a JSON object with a valid 'email' (and an optional 'displayName').", statusCode: 400);
        }

        var pending = body?["accepted"] is JsonValue flag && flag.TryGetValue<bool>(out var accepted) && !accepted;
        var user = tenant.AddGuest(email, GraphApi.Text(body, "displayName"), accepted: !pending);
        return Results.Json(new { id = user.Id, userPrincipalName = user.UserPrincipalName, userType = user.UserType }, SimulatorJson.Options, statusCode: 201);
    }

    /// <summary><c>{"p1": false}</c>: the tenant without Microsoft Entra ID P1, so Graph refuses signInActivity.</summary>
    private static async Task<IResult> UpdateLicence(HttpRequest request, SimulatedTenant tenant)
    {
        var body = await ReadObjectAsync(request);
        if (body?["p1"] is not JsonValue value || !value.TryGetValue<bool>(out var p1))
        {
            return Results.Problem(detail: "The body must be a JSON object with a boolean 'p1'.", statusCode: 400);
        }

        tenant.PremiumLicense = p1;
        return Results.Json(new { p1 }, SimulatorJson.Options);
    }

    private static async Task<IResult> UpdateFaults(HttpRequest request, SimulatedTenant tenant)
    {
        var update = await ReadObjectAsync(request);

        if (update is null)
        {
            return Results.Problem(detail: "The body must be a JSON object of fault settings.", statusCode: 400);
        }

        var error = tenant.Faults.Update(update);
        return error is null
            ? Results.Json(tenant.FaultSettings, SimulatorJson.Options)
            : Results.Problem(detail: error, statusCode: 400);
    }

    private static IResult Stats(SimulatedTenant tenant) => Results.Json(
        new
        {
            requests = tenant.Stats.RequestCounts,
            responses = tenant.Stats.ResponseCounts,
            batchCounting = "POST /$batch counts once under its own key; every request inside it is also counted under its own "
                + "\"METHOD /path-template\" and its status under responses. 499 = the client gave up before the answer.",
        },
        SimulatorJson.Options);

    private static IResult RedeemPage(string token, SimulatedTenant tenant)
    {
        var (redemption, user) = tenant.FindRedemption(token);
        if (redemption is null || user is null)
        {
            return Html.Page("Invitation not found", "<p>This invitation link is not valid (the tenant may have been reset).</p>", 404);
        }

        var accepted = user.ExternalUserState == "Accepted";
        var body = $"<p>{Html.E(redemption.Email)} has been invited to the Contoso directory as a guest.</p>"
            + (accepted ? "<p>This invitation has already been accepted.</p>" : string.Empty)
            + "<form method=\"post\"><button type=\"submit\">Accept invitation</button></form>";
        return Html.Page("Review permissions", body);
    }

    private static IResult Redeem(string token, SimulatedTenant tenant)
    {
        var (redemption, user) = tenant.Redeem(token);
        if (redemption is null || user is null)
        {
            return Html.Page("Invitation not found", "<p>This invitation link is not valid (the tenant may have been reset).</p>", 404);
        }

        var body = $"<p>Invitation accepted for {Html.E(redemption.Email)}.</p>"
            + $"<p><a href=\"{Html.E(redemption.RedirectUrl)}\">Continue to the application</a></p>";
        return Html.Page("Invitation accepted", body);
    }
}
