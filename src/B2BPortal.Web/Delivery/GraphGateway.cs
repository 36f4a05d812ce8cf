using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// The one place that talks to Microsoft Graph (docs/architecture.md decision 3). Every Graph answer becomes a
/// <see cref="GraphOutcome"/>; retries and pacing belong to the dispatcher, so the SDK's retry handler is left out.
/// </summary>
public sealed class GraphGateway : IDisposable
{
    /// <summary>The role Entra uses for "default access" when an application declares no app roles.</summary>
    public static readonly Guid DefaultAppRoleId = Guid.Empty;

    /// <summary>Ids per <c>id in (...)</c> filter and inner requests per <c>$batch</c>: 300 guests per HTTP request.</summary>
    public const int IdsPerFilter = 15;

    public const int RequestsPerBatch = 20;


    private static readonly TimeSpan MissingServicePrincipalTtl = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMappings = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private static readonly string[] RedemptionFields = ["id", "externalUserState", "externalUserStateChangeDateTime"];

    private readonly TenantConnectionResolver _tenant;
    private readonly IHttpClientFactory _httpClients;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<GraphServiceClient> _client;
    private TokenCredential? _credential;
    private readonly ConcurrentDictionary<string, CachedServicePrincipal> _servicePrincipals = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AppBranding?> _branding = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="httpClients">With the clients of <see cref="GraphHttpClients.AddGraphHttpClients"/>.</param>
    public GraphGateway(TenantConnectionResolver tenant, IHttpClientFactory httpClients, IOptions<DeliveryOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tenant = tenant;
        _httpClients = httpClients;
        _options = options.Value;
        _time = time;

        // The tenant's address may only be known once the server listens (in-process simulator), so build on first use.
        _client = new Lazy<GraphServiceClient>(CreateClient, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private GraphServiceClient Client => _client.Value;

    /// <summary>Graph calls in this async flow are made as the admin whose delegated token this is, until the scope ends.</summary>
    public static IDisposable ActAs(string accessToken) => SenderAwareTokenProvider.ActAs(accessToken);

    /// <summary>The delegated token Graph calls in this async flow go out with; null for the application's own.</summary>
    public static string? ActingToken => SenderAwareTokenProvider.ActingToken;

    /// <summary>
    /// Has an app-only token ready (from the credential's cache unless it is due for renewal). Called before an
    /// invitation slot is taken, so a token fetch never delays a paced request and bunches it with later ones
    /// into one burst at Graph.
    /// </summary>
    public async Task EnsureTokenAsync(CancellationToken ct)
    {
        _ = Client;
        try
        {
            await _credential!.GetTokenAsync(new TokenRequestContext([_tenant.Current.GraphDefaultScope]), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left to the request itself: its outcome mapping turns a failed token fetch into a transient failure.
        }
    }

    public async Task<GraphOutcome> InviteAsync(InvitationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new Microsoft.Graph.Models.Invitation
        {
            InvitedUserEmailAddress = request.Email,
            InvitedUserDisplayName = request.DisplayName,
            InviteRedirectUrl = request.RedirectUrl,
            SendInvitationMessage = request.SendInvitationMessage,
            InvitedUserMessageInfo = request.MessageLanguage is null && request.CustomizedMessageBody is null ? null : new InvitedUserMessageInfo
            {
                MessageLanguage = request.MessageLanguage,
                CustomizedMessageBody = request.CustomizedMessageBody,
            },
        };
        if (request.ResetRedemptionUserId is { } existing)
        {
            body.ResetRedemption = true;
            body.InvitedUser = new User { Id = existing };
        }

        try
        {
            var created = await Client.Invitations.PostAsync(body, cancellationToken: ct);
            return created?.InvitedUser?.Id is { Length: > 0 } userId
                ? new Invited(userId, created.InviteRedeemUrl)
                : new Transient("Graph answered the invitation without the invited user's id.");
        }
        catch (ApiException ex) when (request.ResetRedemptionUserId is not null && ex.ResponseStatusCode == (int)HttpStatusCode.Forbidden
            && ex is ODataError { Error.Code: "Authorization_RequestDenied" })
        {
            // One guest's reset refused, not the tenant's invitations: it needs a permission the plain invite does not.
            return new PermanentFailure(
                $"{MessageOf(ex)} Resetting redemption needs the User.ReadWrite.All permission for whoever sends (the portal's " +
                "app registration, or the admin's consent when sent as an admin), and Graph refuses it for users who hold a " +
                "directory role. Grant it, or re-send without reset redemption.");
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return Classify(ex, invitation: true);
        }
    }

    /// <summary>The tenant's guest invite setting (<c>GET /policies/authorizationPolicy</c>, needs Policy.Read.All).</summary>
    public async Task<(AllowInvitesFrom? Value, GraphOutcome? Failure)> GetAllowInvitesFromAsync(CancellationToken ct)
    {
        try
        {
            var policy = await Client.Policies.AuthorizationPolicy.GetAsync(c => c.QueryParameters.Select = ["allowInvitesFrom"], ct);
            return (policy?.AllowInvitesFrom, null);
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return (null, Classify(ex, invitation: false));
        }
    }

    /// <summary>
    /// The tenant's verified domains (<c>GET /organization?$select=verifiedDomains</c>, needs Organization.Read.All app-only):
    /// Entra refuses to invite an address at one of them as a guest.
    /// </summary>
    public async Task<(IReadOnlyList<string> Domains, GraphOutcome? Failure)> GetVerifiedDomainsAsync(CancellationToken ct)
    {
        try
        {
            var organizations = await Client.Organization.GetAsync(c => c.QueryParameters.Select = ["id", "verifiedDomains"], ct);
            return ([.. (organizations?.Value ?? []).SelectMany(o => o.VerifiedDomains ?? []).Select(d => d.Name).OfType<string>()], null);
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return ([], Classify(ex, invitation: false));
        }
    }

    /// <summary>
    /// Microsoft's idempotency guidance (docs/graph.md): look the address up before inviting again, so an attempt that
    /// reached Graph but whose answer was lost is adopted instead of emailed twice.
    /// </summary>
    public async Task<GraphOutcome> FindGuestByEmailAsync(string email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var quoted = email.Replace("'", "''", StringComparison.Ordinal);
        try
        {
            // Microsoft's documented query minus signInNames (an Azure AD Graph property Microsoft Graph v1.0 refuses in
            // $filter). userType is read, not filtered: a member with the address must be named, not silently skipped.
            var page = await Client.Users.GetAsync(
                c =>
                {
                    c.QueryParameters.Filter = $"userPrincipalName eq '{quoted}' or mail eq '{quoted}' " +
                        $"or proxyAddresses/any(x:x eq 'SMTP:{quoted}') or otherMails/any(x:x eq '{quoted}')";
                    c.QueryParameters.Select = ["id", "userType"];
                    c.QueryParameters.Top = 10;
                },
                ct);
            var users = page?.Value?.Where(u => u.Id is { Length: > 0 }).ToList() ?? [];
            if (users.FirstOrDefault(u => string.Equals(u.UserType, "Guest", StringComparison.OrdinalIgnoreCase)) is { } guest)
            {
                return new GuestFound(guest.Id!);
            }

            return users.Count > 0 ? new MemberFound(users[0].Id!) : new GuestNotFound();
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return Classify(ex, invitation: false, permission: "User.Read.All");
        }
    }

    public Task<GraphOutcome> AddToGroupAsync(string groupId, string userId, CancellationToken ct) =>
        WriteReferenceAsync(
            () => Client.Groups[groupId].Members.Ref.PostAsync(
                new ReferenceCreate { OdataId = _tenant.Current.GraphReference("directoryObjects", userId) }, cancellationToken: ct),
            whenAlreadyThere: new Completed(),
            notFound: message => GroupAddNotFoundAsync(groupId, [userId], message, ct),
            otherwise: ex => Classify(ex, invitation: false, permission: "GroupMember.ReadWrite.All"),
            ct);

    /// <summary>
    /// Records <paramref name="sponsorId"/> (the employee who asked for the guest) as the guest's sponsor:
    /// <c>POST /users/{id}/sponsors/$ref</c>. Always with the portal's application token, also inside a batch sent as an
    /// admin: Graph lets a delegated caller add sponsors only with User.ReadWrite.All and the Directory Writers or User
    /// Administrator role, which a Guest Inviter approver lacks (docs/graph.md "Sponsors"). A refusal fails only this step.
    /// </summary>
    public async Task<GraphOutcome> AddSponsorAsync(string userId, string sponsorId, CancellationToken ct)
    {
        using var asApplication = SenderAwareTokenProvider.ActAsApplication();
        return await WriteReferenceAsync(
            () => Client.Users[userId].Sponsors.Ref.PostAsync(
                new ReferenceCreate { OdataId = _tenant.Current.GraphReference("users", sponsorId) }, cancellationToken: ct),
            whenAlreadyThere: new Completed(),
            notFound: message => Task.FromResult<GraphOutcome>(
                new NotYetVisible($"Graph does not see the new guest or its sponsor yet (replication): {message}")),
            otherwise: ex => ex is ApiException { ResponseStatusCode: (int)HttpStatusCode.Forbidden } forbidden

                // Not a reason to pause the tenant: only requested guests have sponsors, and the invitation itself went out.
                ? new PermanentFailure(
                    $"{MessageOf(forbidden)} (recording the sponsor needs the application permission User.ReadWrite.All with admin consent; " +
                    "grant it, then re-send the row)")
                : Classify(ex, invitation: false),
            ct);
    }

    /// <summary>
    /// Adds up to 20 guests to a group in one write: <c>PATCH /groups/{id}</c> with <c>members@odata.bind</c>
    /// (docs/graph.md "Group membership, up to 20 at once"). Graph applies it all or nothing, so the outcome is the
    /// request's: <see cref="SomeAlreadyMembers"/> when one of them already belonged (Graph does not say which), and a
    /// 404 for a guest not replicated yet names that guest in <see cref="NotYetVisible.UserId"/>.
    /// </summary>
    public Task<GraphOutcome> AddManyToGroupAsync(string groupId, IReadOnlyList<string> userIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var references = userIds.Select(id => _tenant.Current.GraphReference("directoryObjects", id)).ToList();
        return WriteReferenceAsync(
            () => Client.Groups[groupId].PatchAsync(
                new Microsoft.Graph.Models.Group { AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = references } },
                cancellationToken: ct),
            whenAlreadyThere: new SomeAlreadyMembers(),
            notFound: message => GroupAddNotFoundAsync(groupId, userIds, message, ct),
            otherwise: ex => Classify(ex, invitation: false, permission: "GroupMember.ReadWrite.All"),
            ct);
    }

    /// <summary>
    /// Writes a directory reference (members, a sponsor). Graph answers 400 "…already exist…" when it is there already,
    /// which is done rather than failed; a 404 is told apart by <paramref name="notFound"/> (not replicated yet, or a
    /// missing target); any other failure is classified by <paramref name="otherwise"/>.
    /// </summary>
    private async Task<GraphOutcome> WriteReferenceAsync(
        Func<Task> write, GraphOutcome whenAlreadyThere, Func<string, Task<GraphOutcome>> notFound, Func<Exception, GraphOutcome> otherwise,
        CancellationToken ct)
    {
        try
        {
            await write();
            return new Completed();
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.BadRequest
            && MessageOf(ex).Contains("already exist", StringComparison.OrdinalIgnoreCase))
        {
            return whenAlreadyThere;
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return await notFound(MessageOf(ex));
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return otherwise(ex);
        }
    }

    /// <summary>
    /// A group add's 404 may be the group's or a new guest's (not replicated yet): the group is read to tell them apart.
    /// For a guest, <see cref="NotYetVisible.UserId"/> is the one of <paramref name="userIds"/> Graph's message names.
    /// </summary>
    private async Task<GraphOutcome> GroupAddNotFoundAsync(string groupId, IReadOnlyList<string> userIds, string message, CancellationToken ct) =>
        await GroupExistsAsync(groupId, ct) switch
        {
            true => new NotYetVisible($"Graph does not see the new guest yet (replication): {message}")
            {
                UserId = userIds.FirstOrDefault(id => message.Contains(id, StringComparison.OrdinalIgnoreCase)),
            },
            false => new PermanentFailure($"Group not found: {groupId} does not exist in this tenant. Check the group's object ID in the file."),
            null => new Transient($"HTTP 404: {message}"),
        };

    /// <summary>True or false when Graph answered; null when it could not say (throttled, unreachable).</summary>
    private async Task<bool?> GroupExistsAsync(string groupId, CancellationToken ct)
    {
        try
        {
            await Client.Groups[groupId].GetAsync(c => c.QueryParameters.Select = ["id"], ct);
            return true;
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return null;
        }
    }

    /// <summary>
    /// Assigns the guest to the application whose (client) ID the file names: its service principal is resolved once
    /// and cached; the role is the app's first enabled user role, or default access when it declares none.
    /// </summary>
    public async Task<GraphOutcome> AssignAppAsync(string appId, string userId, CancellationToken ct)
    {
        try
        {
            var principal = await ResolveServicePrincipalAsync(appId, ct);
            if (principal is null)
            {
                return new PermanentFailure($"No service principal for application {appId} in this tenant.");
            }

            if (!Guid.TryParse(userId, out var principalId))
            {
                return new PermanentFailure($"The guest's object id '{userId}' is not a GUID.");
            }

            await Client.ServicePrincipals[principal.Id].AppRoleAssignedTo.PostAsync(
                new AppRoleAssignment { PrincipalId = principalId, ResourceId = principal.ObjectId, AppRoleId = principal.AppRoleId },
                cancellationToken: ct);
            return new Completed();
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            // The service principal was found a moment ago, so the 404 is the new guest's (not replicated yet), or the
            // app was deleted since: forget the cached principal so the retry resolves it again and can tell.
            _servicePrincipals.TryRemove(appId, out _);
            return new NotYetVisible($"Graph does not see the new guest yet (replication): {MessageOf(ex)}");
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.BadRequest
            && MessageOf(ex).Contains("already exist", StringComparison.OrdinalIgnoreCase))
        {
            return new Completed();
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return Classify(ex, invitation: false, permission: "AppRoleAssignment.ReadWrite.All and Application.Read.All");
        }
    }

    /// <summary>
    /// Sends one email from <paramref name="mailbox"/> (<c>POST /users/{mailbox}/sendMail</c>, application Mail.Send).
    /// <see cref="MailUncertain"/> when Graph may have taken it without our hearing so (timeout, dropped connection,
    /// 504): sending again could deliver it twice.
    /// </summary>
    /// <param name="mailbox">The sending mailbox (app-only); null sends from the signed-in admin's own mailbox (<c>POST /me/sendMail</c>,
    /// delegated Mail.Send) inside <see cref="ActAs"/>.</param>
    public async Task<GraphOutcome> SendMailAsync(string? mailbox, string to, string subject, string html, CancellationToken ct)
    {
        var body = new Microsoft.Graph.Users.Item.SendMail.SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = html },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = to } }],
            },
            SaveToSentItems = true,
        };
        try
        {
            if (mailbox is null)
            {
                await Client.Me.SendMail.PostAsync(new Microsoft.Graph.Me.SendMail.SendMailPostRequestBody { Message = body.Message, SaveToSentItems = true }, cancellationToken: ct);
            }
            else
            {
                await Client.Users[mailbox].SendMail.PostAsync(body, cancellationToken: ct);
            }

            return new Completed();
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return ex switch
            {
                ApiException { ResponseStatusCode: (int)HttpStatusCode.GatewayTimeout } or OperationCanceledException or HttpRequestException =>
                    new MailUncertain(ex is ApiException api ? MessageOf(api) : "Graph did not answer in time."),
                _ => Classify(ex, invitation: false),
            };
        }
    }

    /// <summary>A person's mail address and name (<c>GET /users/{id}?$select=mail,displayName</c>, User.Read.All); null when unknown.</summary>
    public async Task<(string? Mail, string? DisplayName)?> GetUserMailAsync(string userId, CancellationToken ct)
    {
        try
        {
            var user = await Client.Users[userId].GetAsync(c => c.QueryParameters.Select = ["mail", "displayName"], ct);
            return user is null ? null : (user.Mail, user.DisplayName);
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return null;
        }
    }

    /// <summary>An application's name and logo for the portal's email (service principal <c>displayName</c>, <c>info.logoUrl</c>); null when unknown.</summary>
    public async Task<AppBranding?> GetAppBrandingAsync(string appId, CancellationToken ct)
    {
        if (_branding.TryGetValue(appId, out var known))
        {
            return known;
        }

        var quoted = appId.Replace("'", "''", StringComparison.Ordinal);
        try
        {
            var page = await Client.ServicePrincipals.GetAsync(
                c =>
                {
                    c.QueryParameters.Filter = $"appId eq '{quoted}'";
                    c.QueryParameters.Select = ["displayName", "info"];
                },
                ct);
            var found = page?.Value?.FirstOrDefault();
            var branding = found?.DisplayName is { Length: > 0 } name ? new AppBranding(name, found.Info?.LogoUrl) : null;
            _branding[appId] = branding;
            return branding;
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            // Branding is a courtesy: the email goes out without it rather than waiting.
            return null;
        }
    }

    /// <summary>
    /// A group by object ID, for the assignable list (<c>GET /groups/{id}</c>): Found, or neither when the tenant has no
    /// such group, or the failure when Graph could not say.
    /// </summary>
    public async Task<(DirectoryTarget? Found, GraphOutcome? Failure)> FindGroupAsync(string groupId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        try
        {
            var group = await Client.Groups[groupId].GetAsync(c => c.QueryParameters.Select = ["id", "displayName"], ct);
            return (group?.Id is { Length: > 0 } id ? new DirectoryTarget(id, group.DisplayName ?? id) : null, null);
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.BadRequest)
        {
            return (null, null);
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return (null, Classify(ex, invitation: false, permission: "GroupMember.ReadWrite.All"));
        }
    }

    /// <summary>An application by its (client) ID, through its service principal in this tenant (what guests are assigned to).</summary>
    public async Task<(DirectoryTarget? Found, GraphOutcome? Failure)> FindApplicationAsync(string appId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(appId);
        var found = await ListAsync(AssignableKind.Application, $"appId eq '{appId.Replace("'", "''", StringComparison.Ordinal)}'", ct);
        return (found.Found.FirstOrDefault(), found.Failure);
    }

    /// <summary>Groups whose display name starts with <paramref name="name"/> (up to <paramref name="top"/>), for adding by name.</summary>
    public Task<(IReadOnlyList<DirectoryTarget> Found, GraphOutcome? Failure)> SearchGroupsAsync(string name, CancellationToken ct, int top = 10) =>
        ListAsync(AssignableKind.Group, StartsWith(name), ct, top);

    /// <summary>Applications (service principals) whose display name starts with <paramref name="name"/>.</summary>
    public Task<(IReadOnlyList<DirectoryTarget> Found, GraphOutcome? Failure)> SearchApplicationsAsync(string name, CancellationToken ct, int top = 10) =>
        ListAsync(AssignableKind.Application, StartsWith(name), ct, top);

    private static string StartsWith(string name) => $"startswith(displayName,'{(name ?? throw new ArgumentNullException(nameof(name))).Trim().Replace("'", "''", StringComparison.Ordinal)}')";

    /// <summary>
    /// One page of groups or applications (service principals) matching <paramref name="filter"/> as targets; a failure is
    /// classified with the permission that listing needs. Kiota gives the two collections' query parameters no common
    /// type, so each read is spelled out.
    /// </summary>
    private async Task<(IReadOnlyList<DirectoryTarget> Found, GraphOutcome? Failure)> ListAsync(
        AssignableKind kind, string filter, CancellationToken ct, int top = 10)
    {
        try
        {
            return (kind == AssignableKind.Group
                ? Targets((await Client.Groups.GetAsync(c => (c.QueryParameters.Filter, c.QueryParameters.Select, c.QueryParameters.Top) = (filter, ["id", "displayName"], top), ct))?.Value, g => g.Id, g => g.DisplayName)
                : Targets((await Client.ServicePrincipals.GetAsync(c => (c.QueryParameters.Filter, c.QueryParameters.Select, c.QueryParameters.Top) = (filter, ["appId", "displayName"], top), ct))?.Value, sp => sp.AppId, sp => sp.DisplayName),
                null);
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return ([], Classify(ex, invitation: false, permission: kind == AssignableKind.Group ? "GroupMember.ReadWrite.All" : "Application.Read.All"));
        }
    }

    /// <summary>The entries that have an id, named by their display name (or the id when they have none).</summary>
    private static IReadOnlyList<DirectoryTarget> Targets<T>(IEnumerable<T>? entries, Func<T, string?> id, Func<T, string?> name) =>
        [.. (entries ?? []).Where(e => id(e) is { Length: > 0 }).Select(e => new DirectoryTarget(id(e)!, name(e) ?? id(e)!))];

    /// <summary>
    /// Reads the redemption state of the given users: <c>id in (...)</c> filters of 15 ids, 20 of them per
    /// <c>$batch</c>, so 300 users per HTTP request. Users whose inner request failed are simply absent.
    /// </summary>
    public async Task<RedemptionRead> GetRedemptionStatesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var accepted = new Dictionary<string, DateTime?>(StringComparer.OrdinalIgnoreCase);
        var requests = 0;
        GraphOutcome? failure = null;
        foreach (var batchIds in userIds.Chunk(IdsPerFilter * RequestsPerBatch))
        {
            try
            {
                requests++;
                foreach (var response in await PostBatchAsync(batchIds, ct))
                {
                    var status = response.TryGetProperty("status", out var code) ? code.GetInt32() : 0;
                    if (status == (int)HttpStatusCode.OK && response.TryGetProperty("body", out var body)
                        && body.TryGetProperty("value", out var users))
                    {
                        Collect(users, accepted);
                    }
                    else if (status == (int)HttpStatusCode.TooManyRequests)
                    {
                        // Each request inside a $batch is throttled on its own, with its own Retry-After: keep the longest.
                        var retryAfter = InnerRetryAfter(response);
                        failure = failure is Throttled earlier && earlier.RetryAfter >= retryAfter ? earlier : new Throttled(retryAfter);
                    }
                    else if (failure is not Throttled)
                    {
                        failure ??= new Transient($"HTTP {status} inside $batch");
                    }
                }
            }
            catch (Exception ex) when (IsGraphFailure(ex, ct))
            {
                failure = Classify(ex, invitation: false);
                break;
            }

            if (failure is Throttled)
            {
                break; // no further request before that Retry-After: the tracker's cycle ends here
            }
        }

        return new RedemptionRead(accepted, requests, failure);
    }

    /// <summary>
    /// Reads every accepted guest of the tenant, 999 per page: the cost follows the tenant's accepted guests, not the
    /// number still waiting, which makes it the cheap read when many invitations are outstanding.
    /// </summary>
    /// <param name="changedSince">Only guests whose state changed at or after this time (an incremental read); null = all.</param>
    public async Task<RedemptionRead> GetAcceptedGuestsAsync(DateTime? changedSince, CancellationToken ct)
    {
        var accepted = new Dictionary<string, DateTime?>(StringComparer.OrdinalIgnoreCase);
        var requests = 0;
        try
        {
            requests++;
            var page = await Client.Users.GetAsync(
                c =>
                {
                    // externalUserStateChangeDateTime supports ge without advanced query parameters (docs/graph.md).
                    c.QueryParameters.Filter = changedSince is { } since
                        ? "externalUserState eq 'Accepted' and externalUserStateChangeDateTime ge " +
                            since.ToUniversalTime().ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture)
                        : "externalUserState eq 'Accepted'";
                    c.QueryParameters.Select = RedemptionFields;
                    c.QueryParameters.Top = 999;
                },
                ct);
            Collect(page, accepted);
            while (page?.OdataNextLink is { Length: > 0 } next)
            {
                requests++;
                page = await Client.Users.WithUrl(next).GetAsync(cancellationToken: ct);
                Collect(page, accepted);
            }

            return new RedemptionRead(accepted, requests, null);
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return new RedemptionRead(accepted, requests, Classify(ex, invitation: false));
        }
    }

    /// <summary>
    /// The type and last sign-in of the given users (guest clean-up and the Guests page): <c>id in (...)</c> filters of
    /// 15 ids with <c>$select=id,userType,signInActivity</c>. signInActivity needs AuditLog.Read.All and a tenant with
    /// Entra ID P1; when Graph refuses it (403) the users are read again without it and
    /// <see cref="GuestActivityRead.SignInNotReported"/> says why, so the types (needed before any delete) are still known.
    /// Users Graph does not return (deleted, or never existed) are absent.
    /// </summary>
    public async Task<GuestActivityRead> GetGuestActivityAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var found = new Dictionary<string, GuestActivity>(StringComparer.OrdinalIgnoreCase);
        string? notReported = null;
        foreach (var chunk in userIds.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(IdsPerFilter))
        {
            var filter = $"id in ({string.Join(',', chunk.Select(id => $"'{id.Replace("'", "''", StringComparison.Ordinal)}'"))})";
            try
            {
                var page = await Client.Users.GetAsync(
                    c =>
                    {
                        c.QueryParameters.Filter = filter;
                        c.QueryParameters.Select = notReported is null ? ["id", "userType", "signInActivity"] : ["id", "userType"];
                        c.QueryParameters.Top = IdsPerFilter;
                    },
                    ct);
                Collect(page, found, signIns: notReported is null);
            }
            catch (ODataError ex) when (notReported is null && ex.ResponseStatusCode == (int)HttpStatusCode.Forbidden)
            {
                notReported = ex.Error?.Code == "Authorization_RequestDenied"
                    ? "Graph refused signInActivity: the portal's app registration needs the AuditLog.Read.All application permission (admin consent)."
                    : $"Graph refused signInActivity ({ex.Error?.Code}: {MessageOf(ex)}); it needs a tenant with Microsoft Entra ID P1 or P2.";
                try
                {
                    var page = await Client.Users.GetAsync(
                        c =>
                        {
                            c.QueryParameters.Filter = filter;
                            c.QueryParameters.Select = ["id", "userType"];
                            c.QueryParameters.Top = IdsPerFilter;
                        },
                        ct);
                    Collect(page, found, signIns: false);
                }
                catch (Exception again) when (IsGraphFailure(again, ct))
                {
                    return new GuestActivityRead(found, notReported, Classify(again, invitation: false, permission: "User.Read.All"));
                }
            }
            catch (Exception ex) when (IsGraphFailure(ex, ct))
            {
                return new GuestActivityRead(found, notReported, Classify(ex, invitation: false, permission: "User.Read.All"));
            }
        }

        return new GuestActivityRead(found, notReported, null);

        static void Collect(UserCollectionResponse? page, Dictionary<string, GuestActivity> into, bool signIns)
        {
            foreach (var user in page?.Value ?? [])
            {
                if (user.Id is { } id)
                {
                    var activity = user.SignInActivity;
                    var last = activity?.LastSuccessfulSignInDateTime ?? activity?.LastSignInDateTime;
                    into[id] = new GuestActivity(user.UserType, signIns, last?.UtcDateTime);
                }
            }
        }
    }

    /// <summary>
    /// <c>DELETE /users/{id}</c> (User.ReadWrite.All): the user moves to deleted items, restorable for 30 days.
    /// 404 counts as done (deleted already). A 403 is a <see cref="PermanentFailure"/> for this user only.
    /// </summary>
    public async Task<GraphOutcome> DeleteUserAsync(string userId, CancellationToken ct)
    {
        try
        {
            await Client.Users[userId].DeleteAsync(cancellationToken: ct);
            return new Completed();
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return new Completed();
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return Classify(ex, invitation: false);
        }
    }

    /// <summary><c>POST /directory/deletedItems/{id}/restore</c> (User.ReadWrite.All): the user comes back with the same id.</summary>
    public async Task<GraphOutcome> RestoreUserAsync(string userId, CancellationToken ct)
    {
        try
        {
            await Client.Directory.DeletedItems[userId].Restore.PostAsync(cancellationToken: ct);
            return new Completed();
        }
        catch (Exception ex) when (IsGraphFailure(ex, ct))
        {
            return Classify(ex, invitation: false);
        }
    }

    /// <summary>
    /// One <c>$batch</c> of <c>id in (...)</c> reads. Written by hand rather than with the SDK's BatchRequestContent,
    /// which cuts the first five characters off each URL's path ("v1.0/") and so breaks any base URL with a path
    /// of its own, such as the simulator's /_tenant/graph/v1.0.
    /// </summary>
    private async Task<List<JsonElement>> PostBatchAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var requests = new JsonArray();
        var step = 0;
        foreach (var filterIds in ids.Chunk(IdsPerFilter))
        {
            var list = string.Join(',', filterIds.Select(id => $"'{id.Replace("'", "''", StringComparison.Ordinal)}'"));
            var query = $"$filter={Uri.EscapeDataString($"id in ({list})")}&$select={string.Join(',', RedemptionFields)}";
            requests.Add(new JsonObject { ["id"] = (++step).ToString(CultureInfo.InvariantCulture), ["method"] = "GET", ["url"] = $"/users?{query}" });
        }

        var payload = new JsonObject { ["requests"] = requests }.ToJsonString();
        var info = new RequestInformation(Method.POST, "{+baseurl}/$batch", new Dictionary<string, object>());
        info.Headers.TryAdd("Accept", "application/json");
        info.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload)), "application/json");
        await using var stream = await Client.RequestAdapter.SendPrimitiveAsync<Stream>(info, ErrorMappings, ct)
            ?? throw new InvalidOperationException("Graph answered $batch without a body.");
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        return [.. document.RootElement.GetProperty("responses").EnumerateArray().Select(r => r.Clone())];
    }

    /// <summary>The Retry-After of one response inside a $batch answer (<c>headers</c>, in seconds), or null.</summary>
    private static TimeSpan? InnerRetryAfter(JsonElement response)
    {
        if (!response.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var header in headers.EnumerateObject())
        {
            if (string.Equals(header.Name, "Retry-After", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText(),
                    NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Max(0, seconds));
            }
        }

        return null;
    }

    private static void Collect(JsonElement users, Dictionary<string, DateTime?> accepted)
    {
        foreach (var user in users.EnumerateArray())
        {
            if (user.TryGetProperty("id", out var id) && id.GetString() is { } userId
                && user.TryGetProperty("externalUserState", out var state)
                && string.Equals(state.ValueKind == JsonValueKind.String ? state.GetString() : null, "Accepted", StringComparison.OrdinalIgnoreCase))
            {
                DateTime? at = user.TryGetProperty("externalUserStateChangeDateTime", out var changed) && changed.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParse(changed.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed.UtcDateTime
                    : null;
                accepted[userId] = at;
            }
        }
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private static void Collect(UserCollectionResponse? page, Dictionary<string, DateTime?> accepted)
    {
        foreach (var user in page?.Value ?? [])
        {
            if (user.Id is { } id && string.Equals(user.ExternalUserState, "Accepted", StringComparison.OrdinalIgnoreCase))
            {
                accepted[id] = user.ExternalUserStateChangeDateTime?.UtcDateTime;
            }
        }
    }

    private async Task<ServicePrincipalRef?> ResolveServicePrincipalAsync(string appId, CancellationToken ct)
    {
        if (_servicePrincipals.TryGetValue(appId, out var known) && known.Until > _time.GetUtcNow())
        {
            return known.Principal;
        }

        var quoted = appId.Replace("'", "''", StringComparison.Ordinal);
        var page = await Client.ServicePrincipals.GetAsync(
            c =>
            {
                c.QueryParameters.Filter = $"appId eq '{quoted}'";
                c.QueryParameters.Select = ["id", "appId", "appRoles"];
            },
            ct);
        var found = page?.Value?.FirstOrDefault(sp => sp.Id is not null);
        ServicePrincipalRef? resolved = null;
        if (found?.Id is { } id && Guid.TryParse(id, out var objectId))
        {
            var role = found.AppRoles?
                .FirstOrDefault(r => r.IsEnabled != false && r.Id is not null
                    && (r.AllowedMemberTypes ?? []).Contains("User", StringComparer.OrdinalIgnoreCase))?.Id;
            resolved = new ServicePrincipalRef(id, objectId, role ?? DefaultAppRoleId);
        }

        // Only definite answers are cached; a failed look-up throws and is tried again next time. "No such app" is
        // remembered briefly only: an admin may create the service principal (admin consent) while the batch waits.
        _servicePrincipals[appId] = new CachedServicePrincipal(
            resolved, resolved is null ? _time.GetUtcNow() + MissingServicePrincipalTtl : DateTimeOffset.MaxValue);
        return resolved;
    }

    private GraphServiceClient CreateClient()
    {
        var tenant = _tenant.Current;

        // Graph's pipeline minus its RetryHandler, and the request meter (GraphHttpClients).
        var http = _httpClients.CreateClient(GraphHttpClients.Graph);
        http.Timeout = _options.EffectiveGraphTimeout(tenant.IsSimulated);

        var credential = _credential = CreateCredential(tenant);
        var auth = new BaseBearerTokenAuthenticationProvider(new SenderAwareTokenProvider(credential, tenant.GraphDefaultScope, tenant.GraphBaseUrl.Host));
        return new GraphServiceClient(http, auth, tenant.GraphBaseUrl.ToString().TrimEnd('/'));
    }

    private TokenCredential CreateCredential(TenantConnection tenant)
    {
        if (tenant.TokenEndpoint.Scheme == Uri.UriSchemeHttp)
        {
            if (!tenant.IsSimulated)
            {
                throw new InvalidOperationException("A real tenant's token endpoint must use HTTPS.");
            }

            var tokenHttp = _httpClients.CreateClient(GraphHttpClients.Token);
            tokenHttp.Timeout = _options.EffectiveGraphTimeout(tenant.IsSimulated);
            return new ClientCredentialsTokenCredential(
                tokenHttp,
                tenant.TokenEndpoint,
                tenant.ClientId,
                tenant.ClientSecret ?? throw new InvalidOperationException("The simulated tenant's client secret is not configured."),
                _time);
        }

        var authorityHost = new Uri(tenant.Instance);
        if (!string.IsNullOrWhiteSpace(_options.ClientCertificatePath))
        {
            return new ClientCertificateCredential(
                tenant.TenantId,
                tenant.ClientId,
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                    _options.ClientCertificatePath, _options.ClientCertificatePassword),
                new ClientCertificateCredentialOptions { AuthorityHost = authorityHost, DisableInstanceDiscovery = tenant.IsSimulated });
        }

        return new ClientSecretCredential(
            tenant.TenantId,
            tenant.ClientId,
            tenant.ClientSecret ?? throw new InvalidOperationException("AzureAd:ClientSecret (or Delivery:ClientCertificatePath) is not configured."),
            new ClientSecretCredentialOptions { AuthorityHost = authorityHost, DisableInstanceDiscovery = tenant.IsSimulated });
    }

    /// <summary>Failures that are Graph's (or the network's) answer, as opposed to our own cancellation or bugs.</summary>
    private static bool IsGraphFailure(Exception ex, CancellationToken ct) => ex switch
    {
        OperationCanceledException => !ct.IsCancellationRequested,
        ApiException or HttpRequestException or AuthenticationFailedException or Azure.RequestFailedException => true,
        _ => false,
    };

    /// <param name="permission">The Graph permission the call needs: a 403 Authorization_RequestDenied then pauses the tenant.</param>
    private static GraphOutcome Classify(Exception ex, bool invitation, string? permission = null)
    {
        switch (ex)
        {
            case ApiException api:
                var message = MessageOf(api);
                var status = api.ResponseStatusCode;
                if (status == (int)HttpStatusCode.TooManyRequests)
                {
                    return new Throttled(RetryAfterOf(api));
                }

                if (status == (int)HttpStatusCode.Forbidden && invitation && IsAbuseBlock(message))
                {
                    return new TenantBlocked(message);
                }

                // Refused for who is asking, not for this guest: the guest invite setting or a missing consent refuses
                // every row alike, so the tenant pauses instead of failing the batch row by row (docs/graph.md).
                if (status == (int)HttpStatusCode.Forbidden && invitation && api is ODataError { Error.Code: "Authorization_RequestDenied" })
                {
                    return new TenantBlocked(
                        $"{message} (Authorization_RequestDenied: the tenant's guest invite setting or the portal's admin consent for " +
                        "User.Invite.All refuses every invitation it sends; fix it in the Entra admin center, then resume.)");
                }

                if (status == (int)HttpStatusCode.Forbidden && permission is not null && api is ODataError { Error.Code: "Authorization_RequestDenied" })
                {
                    return new TenantBlocked(
                        $"{message} (Authorization_RequestDenied: the portal lacks admin consent for {permission}, so every row would " +
                        "fail alike; grant admin consent for it in the Entra admin center, then resume.)");
                }

                return status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.Unauthorized or >= 500
                    ? new Transient($"HTTP {status}: {message}")
                    : new PermanentFailure(message);
            case OperationCanceledException:
                return new Transient("Graph did not answer in time.");
            case HttpRequestException http:
                return new Transient($"Connection to Graph failed: {http.Message}");
            default:
                return new Transient($"Token request failed: {ex.Message}");
        }
    }

    private static bool IsAbuseBlock(string message) =>
        message.Contains("suspicious activity", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Invitations are blocked for this directory", StringComparison.OrdinalIgnoreCase);

    private static string MessageOf(ApiException ex) =>
        ex is ODataError { Error.Message: { Length: > 0 } message } ? message : ex.Message;

    private static TimeSpan? RetryAfterOf(ApiException ex)
    {
        foreach (var (name, values) in ex.ResponseHeaders)
        {
            if (!string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = values.FirstOrDefault();
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Max(0, seconds));
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private sealed record ServicePrincipalRef(string Id, Guid ObjectId, Guid AppRoleId);

    private sealed record CachedServicePrincipal(ServicePrincipalRef? Principal, DateTimeOffset Until);
}

/// <summary>A group (object ID) or application (client ID) and its display name, as Graph names it.</summary>
public sealed record DirectoryTarget(string Id, string DisplayName);

/// <summary>What the portal's email shows of an application (InviteAppID).</summary>
public sealed record AppBranding(string DisplayName, string? LogoUrl);

/// <summary>A user's type (Guest, Member) and, where the tenant reports it, the last sign-in (null: never, or not reported).</summary>
public sealed record GuestActivity(string? UserType, bool SignInReported, DateTime? LastSignIn);

/// <summary>What one read of users found; <see cref="SignInNotReported"/> says once why sign-ins are missing; <see cref="Failure"/> why it stopped early.</summary>
public sealed record GuestActivityRead(IReadOnlyDictionary<string, GuestActivity> Users, string? SignInNotReported, GraphOutcome? Failure);

/// <summary>Accepted guests found by one tracker read (id → acceptance time), the HTTP requests it took, and why it stopped early.</summary>
public sealed record RedemptionRead(IReadOnlyDictionary<string, DateTime?> Accepted, int Requests, GraphOutcome? Failure);
