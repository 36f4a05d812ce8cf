using B2BPortal.Simulator.Faults;
using B2BPortal.Simulator.Graph;

namespace B2BPortal.Simulator.Tenant;

/// <summary>
/// The simulated directory: people, clients, groups, applications, guests, mailbox, faults and counters, all in
/// memory. Every read and write of the mutable parts happens under one lock, so concurrent Graph requests see a
/// consistent tenant (the lock is held for microseconds; latency faults are applied outside it).
/// </summary>
public sealed class SimulatedTenant
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly OrderedDictionary<string, DirectoryUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _groupMembers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<AppRoleAssignment>> _assignments = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _sponsors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Redemption> _redemptions = new(StringComparer.Ordinal);
    private readonly List<MailboxMessage> _mailbox = [];
    private readonly OrderedDictionary<string, DirectoryUser> _deleted = new(StringComparer.OrdinalIgnoreCase);
    private bool _premium = true;
    private string _allowInvitesFrom = GuestInvitePolicy.Everyone;
    private IReadOnlySet<string> _portalGraphConsent = new HashSet<string>(TenantSeed.PortalClient.GraphPermissions, StringComparer.OrdinalIgnoreCase);

    internal SimulatedTenant(SimulatorOptions options)
    {
        _time = options.TimeProvider;
        Options = options;
        Faults = new FaultInjector(options.TimeProvider, options.FaultSeed);
        Reset();
    }

    public IReadOnlyList<Person> People => TenantSeed.People;

    /// <summary>The start-up settings, including the listeners the host filled in once it listened.</summary>
    public SimulatorOptions Options { get; }

    public IReadOnlyList<ClientApp> Clients => TenantSeed.Clients;

    public IReadOnlyList<SimulatedGroup> Groups => TenantSeed.Groups;

    public IReadOnlyList<SimulatedApplication> Applications => TenantSeed.Applications;

    public IReadOnlyList<string> VerifiedDomains => TenantSeed.VerifiedDomains;

    public IReadOnlyList<string> BlockedDomains => TenantSeed.BlockedDomains;

    public GraphStats Stats { get; } = new();

    public FaultSettings FaultSettings => Faults.Settings;

    internal FaultInjector Faults { get; }

    internal TimeProvider Time => _time;

    /// <summary>The guest invite setting (<c>authorizationPolicy.allowInvitesFrom</c>); <c>everyone</c>, as in a new Entra tenant.</summary>
    public string AllowInvitesFrom
    {
        get
        {
            lock (_gate)
            {
                return _allowInvitesFrom;
            }
        }
    }

    /// <summary>Changes the guest invite setting, as <c>PUT /_tenant/policy</c> does; returns why a value is refused.</summary>
    public string? SetAllowInvitesFrom(string? value)
    {
        var setting = GuestInvitePolicy.Parse(value);
        if (setting is null)
        {
            return $"allowInvitesFrom must be one of: {string.Join(", ", GuestInvitePolicy.Values)}; '{value}' is not.";
        }

        lock (_gate)
        {
            _allowInvitesFrom = setting;
        }

        return null;
    }

    /// <summary>
    /// The Microsoft Graph application permissions an admin has consented to for the portal's app registration (all it
    /// asks for, in a new simulated tenant). An app-only token carries only these, and Graph checks them on every call.
    /// </summary>
    public IReadOnlySet<string> PortalGraphConsent
    {
        get
        {
            lock (_gate)
            {
                return _portalGraphConsent;
            }
        }
    }

    /// <summary>Grants exactly these application permissions to the portal, as <c>PUT /_tenant/consent</c> does; returns why a list is refused.</summary>
    public string? SetPortalGraphConsent(IEnumerable<string> permissions)
    {
        var granted = new HashSet<string>(permissions, StringComparer.OrdinalIgnoreCase);
        var unknown = granted.Where(p => !TenantSeed.PortalClient.GraphPermissions.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            return $"The portal's app registration does not ask for {string.Join(", ", unknown)}; it asks for {string.Join(", ", TenantSeed.PortalClient.GraphPermissions)}.";
        }

        lock (_gate)
        {
            _portalGraphConsent = granted;
        }

        return null;
    }

    /// <summary>The application permissions a client's app-only token carries: what it asks for that an admin consented to.</summary>
    internal IReadOnlyList<string> ConsentedGraphPermissions(ClientApp client) =>
        client.ClientId == TenantSeed.PortalClient.ClientId
            ? [.. client.GraphPermissions.Where(PortalGraphConsent.Contains)]
            : client.GraphPermissions;

    /// <summary>Empties the tenant back to its seed: guests, memberships, assignments, mailbox, faults and counters.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _users.Clear();
            foreach (var user in TenantSeed.Users(_time.GetUtcNow()))
            {
                _users.Add(user.Id, user);
            }

            _groupMembers.Clear();
            foreach (var group in TenantSeed.Groups)
            {
                _groupMembers[group.Id] = [];
            }

            _assignments.Clear();
            foreach (var app in TenantSeed.Applications)
            {
                _assignments[app.ServicePrincipalId] = [];
            }

            _sponsors.Clear();
            _redemptions.Clear();
            _mailbox.Clear();
            _deleted.Clear();
            _premium = true;
            _allowInvitesFrom = GuestInvitePolicy.Everyone;
            _portalGraphConsent = new HashSet<string>(TenantSeed.PortalClient.GraphPermissions, StringComparer.OrdinalIgnoreCase);
        }

        Faults.Reset();
        Stats.Reset();
    }

    /// <summary>Sets the fault injection directly, as <c>PUT /_tenant/faults</c> does over HTTP.</summary>
    public void SetFaults(FaultSettings settings) => Faults.Replace(settings);

    /// <summary>Accepts an invitation by its redeem URL (or token), as the guest's Accept button does; false when unknown.</summary>
    public bool AcceptInvitation(string redeemUrlOrToken)
    {
        var token = redeemUrlOrToken.TrimEnd('/').Split('/')[^1];
        return Redeem(token).User is not null;
    }

    public IReadOnlyList<DirectoryUser> Users()
    {
        lock (_gate)
        {
            return [.. _users.Values];
        }
    }

    /// <summary>The users Graph's directory reads see now: a guest invited moments ago may not have replicated yet.</summary>
    public IReadOnlyList<DirectoryUser> VisibleUsers()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. _users.Values.Where(u => u.VisibleFrom <= now)];
        }
    }

    /// <summary><see cref="FindUser"/> as Graph's directory sees it: null for a guest that has not replicated yet.</summary>
    public DirectoryUser? FindVisibleUser(string idOrUpn) =>
        FindUser(idOrUpn) is { } user && user.VisibleFrom <= _time.GetUtcNow() ? user : null;

    public IReadOnlyList<MailboxMessage> Mailbox()
    {
        lock (_gate)
        {
            return [.. _mailbox];
        }
    }

    /// <summary>Finds a user by object id or user principal name.</summary>
    public DirectoryUser? FindUser(string idOrUpn)
    {
        lock (_gate)
        {
            if (_users.TryGetValue(idOrUpn, out var user))
            {
                return user;
            }

            return _users.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));
        }
    }

    public Person? FindPerson(string idOrUpn) => TenantSeed.People.FirstOrDefault(p =>
        string.Equals(p.Id, idOrUpn, StringComparison.OrdinalIgnoreCase)
        || string.Equals(p.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));

    public ClientApp? FindClient(string clientId) =>
        TenantSeed.Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase));

    public SimulatedGroup? FindGroup(string id) =>
        TenantSeed.Groups.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase));

    public SimulatedApplication? FindServicePrincipal(string id) =>
        TenantSeed.Applications.FirstOrDefault(a => string.Equals(a.ServicePrincipalId, id, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<DirectoryUser> GroupMembers(string groupId)
    {
        lock (_gate)
        {
            // A deleted member stays in the list (a restore brings the membership back, as in Entra) but is not shown.
            return _groupMembers.TryGetValue(groupId, out var ids) ? [.. ids.Where(_users.ContainsKey).Select(id => _users[id])] : [];
        }
    }

    /// <summary>A user's sponsors (Entra's <c>sponsors</c> relationship), in the order they were added.</summary>
    public IReadOnlyList<DirectoryUser> Sponsors(string userId)
    {
        lock (_gate)
        {
            return _sponsors.TryGetValue(userId, out var ids) ? [.. ids.Select(id => _users[id])] : [];
        }
    }

    /// <summary>
    /// Adds a sponsor as <c>POST /users/{id}/sponsors/$ref</c> does: both must be users Graph sees (a guest still
    /// replicating is 404), and a sponsor already there is Entra's 400 for a duplicate reference.
    /// </summary>
    internal TenantError? AddSponsor(string userId, string sponsorId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var user) || user.VisibleFrom > now)
            {
                return TenantError.NotFound(userId);
            }

            if (!_users.TryGetValue(sponsorId, out var sponsor) || sponsor.VisibleFrom > now)
            {
                return TenantError.NotFound(sponsorId);
            }

            var sponsors = _sponsors.TryGetValue(user.Id, out var list) ? list : _sponsors[user.Id] = [];
            if (sponsors.Contains(sponsor.Id, StringComparer.OrdinalIgnoreCase))
            {
                return TenantError.BadRequest(
                    "One or more added object references already exist for the following modified properties: 'sponsors'.");
            }

            sponsors.Add(sponsor.Id);
            return null;
        }
    }

    public IReadOnlyList<AppRoleAssignment> AppRoleAssignedTo(string servicePrincipalId)
    {
        lock (_gate)
        {
            return _assignments.TryGetValue(servicePrincipalId, out var list) ? [.. list.Where(a => _users.ContainsKey(a.PrincipalId))] : [];
        }
    }

    internal TenantError? AddGroupMember(string groupId, string userId) => AddGroupMembers(groupId, [userId]);

    /// <summary>
    /// Adds members all or nothing, as Graph's <c>members@odata.bind</c> does: an unknown (or not yet replicated) member
    /// is a 404 naming it, and one that already belongs (or is named twice) refuses the whole request.
    /// </summary>
    internal TenantError? AddGroupMembers(string groupId, IReadOnlyList<string> userIds)
    {
        lock (_gate)
        {
            if (!_groupMembers.TryGetValue(groupId, out var members))
            {
                return TenantError.NotFound(groupId);
            }

            var now = _time.GetUtcNow();
            var adding = new List<string>(userIds.Count);
            foreach (var userId in userIds)
            {
                if (!_users.TryGetValue(userId, out var user) || user.VisibleFrom > now)
                {
                    return TenantError.NotFound(userId);
                }

                var id = _users.GetAt(_users.IndexOf(userId)).Key;
                if (members.Contains(id, StringComparer.OrdinalIgnoreCase) || adding.Contains(id, StringComparer.OrdinalIgnoreCase))
                {
                    return TenantError.BadRequest(
                        "One or more added object references already exist for the following modified properties: 'members'.");
                }

                adding.Add(id);
            }

            members.AddRange(adding);
            return null;
        }
    }

    internal (AppRoleAssignment? Assignment, TenantError? Error) AssignAppRole(
        string servicePrincipalId, string principalId, string resourceId, string appRoleId)
    {
        var app = FindServicePrincipal(servicePrincipalId);
        if (app is null)
        {
            return (null, TenantError.NotFound(servicePrincipalId));
        }

        if (!string.Equals(resourceId, app.ServicePrincipalId, StringComparison.OrdinalIgnoreCase))
        {
            return (null, TenantError.BadRequest("The resourceId must be the id of the service principal in the request URL."));
        }

        var roleKnown = app.AppRoles.Count == 0
            ? appRoleId == Guid.Empty.ToString()
            : app.AppRoles.Any(r => string.Equals(r.Id, appRoleId, StringComparison.OrdinalIgnoreCase)) || appRoleId == Guid.Empty.ToString();
        if (!roleKnown)
        {
            return (null, TenantError.BadRequest("Permission being assigned was not found on application"));
        }

        lock (_gate)
        {
            if (!_users.TryGetValue(principalId, out var user) || user.VisibleFrom > _time.GetUtcNow())
            {
                return (null, TenantError.NotFound(principalId));
            }

            var list = _assignments[app.ServicePrincipalId];
            if (list.Any(a => string.Equals(a.PrincipalId, user.Id, StringComparison.OrdinalIgnoreCase)
                && string.Equals(a.AppRoleId, appRoleId, StringComparison.OrdinalIgnoreCase)))
            {
                return (null, TenantError.BadRequest("Permission being assigned already exists on the object"));
            }

            var assignment = new AppRoleAssignment(
                Guid.NewGuid().ToString(),
                appRoleId.ToLowerInvariant(),
                user.Id,
                user.DisplayName,
                app.ServicePrincipalId,
                app.DisplayName,
                _time.GetUtcNow());
            list.Add(assignment);
            return (assignment, null);
        }
    }

    /// <summary>Why Entra refuses this caller's invitation under the tenant's guest invite setting, or null.</summary>
    internal TenantError? InvitationRefusal(GraphPrincipal caller) => GuestInvitePolicy.Refusal(AllowInvitesFrom, caller);

    internal (InvitationResult? Result, TenantError? Error) Invite(InvitationRequest request, GraphPrincipal inviter, string baseUrl)
    {
        if (InvitationRules.InvalidEmail(request.Email) is { } invalid)
        {
            return (null, TenantError.BadRequest(invalid));
        }

        var domain = request.Email[(request.Email.LastIndexOf('@') + 1)..];
        if (TenantSeed.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
        {
            return (null, TenantError.BadRequest(
                "This user cannot be invited because the domain of the user's email address is a verified domain of this directory."));
        }

        if (TenantSeed.BlockedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
        {
            return (null, TenantError.BadRequest("This invitation is blocked by cross-tenant access settings."));
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            DirectoryUser user;
            if (request.ResetRedemption)
            {
                if (request.InvitedUserId is null || !_users.TryGetValue(request.InvitedUserId, out var existingById))
                {
                    return (null, request.InvitedUserId is null
                        ? TenantError.BadRequest("resetRedemption requires invitedUser.id.")
                        : TenantError.NotFound(request.InvitedUserId));
                }

                user = existingById with
                {
                    Mail = request.Email,
                    OtherMails = [request.Email],
                    ExternalUserState = "PendingAcceptance",
                    ExternalUserStateChangeDateTime = now,
                };
                _users[user.Id] = user;
                foreach (var stale in _redemptions.Values.Where(r => r.UserId == user.Id).ToList())
                {
                    _redemptions.Remove(stale.Token);
                }
            }
            else if (FindByAddress(request.Email) is { UserType: "Guest" } existing)
            {
                if (!existing.AccountEnabled)
                {
                    return (null, TenantError.BadRequest(
                        $"The invited user already exists in the directory as object ID: {existing.Id}, but the account is blocked from signing in. Unblock the account or use a different email address."));
                }

                user = existing;
            }
            else
            {
                // An address a member already has: Entra creates a separate guest and keeps the address in otherMails only
                // (troubleshooting, "email attribute isn't populating"); mail stays empty because the member holds it.
                var heldByMember = FindByAddress(request.Email) is not null;
                user = new DirectoryUser
                {
                    Id = Guid.NewGuid().ToString(),
                    UserPrincipalName = TenantSeed.GuestUserPrincipalName(request.Email),
                    DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.Email.Split('@')[0] : request.DisplayName,
                    Mail = heldByMember ? null : request.Email,
                    OtherMails = [request.Email],
                    UserType = request.UserType,
                    ExternalUserState = "PendingAcceptance",
                    ExternalUserStateChangeDateTime = now,
                    CreatedDateTime = now,
                    VisibleFrom = now.AddSeconds(Faults.Settings.ReplicationDelaySeconds),
                    CreationType = "Invitation",
                };
                _users.Add(user.Id, user);
            }

            var token = Guid.NewGuid().ToString("N");
            _redemptions[token] = new Redemption(token, user.Id, request.Email, request.RedirectUrl);
            var redeemUrl = $"{baseUrl}/_tenant/redeem/{token}";

            if (request.SendInvitationMessage)
            {
                var inviterMail = inviter.Person is { } person && _users.TryGetValue(person.Id, out var member) ? member.Mail : null;
                _mailbox.Add(InvitationEmail.Compose(request, inviter, inviterMail, user, redeemUrl, now));
            }

            var status = user.ExternalUserState == "Accepted" ? "Completed" : "PendingAcceptance";
            return (new InvitationResult(Guid.NewGuid().ToString(), user, redeemUrl, status), null);
        }
    }

    /// <summary>Puts a sendMail message into the mailbox, one entry per recipient, sent from the sender's address.</summary>
    internal void DeliverMail(OutgoingMail mail, DirectoryUser sender, GraphPrincipal sentBy) =>
        Deliver(mail, sender.Mail!, mail.Text, mail.Html, sentBy.Name);

    /// <summary>
    /// A message the SMTP sink received (the portal's SMTP transport): one mailbox entry per recipient, from the envelope
    /// sender, its text part as the body (else the HTML's text).
    /// </summary>
    internal void DeliverSmtp(string from, IReadOnlyList<string> recipients, string subject, string text, string? html)
    {
        var mail = new OutgoingMail(subject, html is not null, html ?? text, recipients, [], [], from);
        Deliver(mail, from, text.Length > 0 ? text : mail.Text, html, "smtp");
    }

    /// <summary>One entry per recipient, with the redeem link of this tenant the message carries (a test can accept it like Microsoft's email).</summary>
    private void Deliver(OutgoingMail mail, string from, string body, string? html, string sentBy)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var link = mail.RedeemLinks().FirstOrDefault(l => _redemptions.ContainsKey(l.Token));
            var userId = link.Token is null ? null : _redemptions[link.Token].UserId;
            foreach (var recipient in mail.Recipients)
            {
                _mailbox.Add(new MailboxMessage(MailboxMessage.MailKind, from, recipient, mail.Subject, body, now, sentBy)
                {
                    Cc = mail.Cc,
                    Language = mail.Language,
                    Html = html,
                    RedeemUrl = link.Url ?? string.Empty,
                    UserId = userId,
                });
            }
        }
    }

    internal (Redemption? Redemption, DirectoryUser? User) FindRedemption(string token)
    {
        lock (_gate)
        {
            return _redemptions.TryGetValue(token, out var r) && _users.TryGetValue(r.UserId, out var user) ? (r, user) : (null, null);
        }
    }

    /// <summary>The guest accepts: the state turns Accepted (once; accepting again changes nothing).</summary>
    internal (Redemption? Redemption, DirectoryUser? User) Redeem(string token)
    {
        lock (_gate)
        {
            if (!_redemptions.TryGetValue(token, out var redemption) || !_users.TryGetValue(redemption.UserId, out var user))
            {
                return (null, null);
            }

            if (user.ExternalUserState != "Accepted")
            {
                user = user with { ExternalUserState = "Accepted", ExternalUserStateChangeDateTime = _time.GetUtcNow() };
                _users[user.Id] = user;
            }

            return (redemption, user);
        }
    }

    /// <summary>
    /// Whether the tenant has Microsoft Entra ID P1 (or P2): Graph serves <c>signInActivity</c> only then. True, as the
    /// portal's documentation assumes; <c>PUT /_tenant/licence</c> turns it off to show how the portal degrades.
    /// </summary>
    public bool PremiumLicense
    {
        get
        {
            lock (_gate)
            {
                return _premium;
            }
        }

        set
        {
            lock (_gate)
            {
                _premium = value;
            }
        }
    }

    /// <summary>Sets a user's last sign-in (tests: a guest who signed in long ago, or never); false when no such user.</summary>
    public bool SetLastSignIn(string idOrUpn, DateTimeOffset? at)
    {
        lock (_gate)
        {
            var user = FindUser(idOrUpn);
            if (user is null)
            {
                return false;
            }

            _users[user.Id] = user with { LastSignInDateTime = at };
            return true;
        }
    }

    /// <summary>
    /// A guest created in the tenant directly (the Entra admin center, another tool), not through the portal: already
    /// accepted (unless <paramref name="accepted"/> is false: still pending acceptance), visible at once. Tests use it to
    /// show the portal leaves users it did not invite alone, and to stand for guests whose rows they write themselves.
    /// </summary>
    public DirectoryUser AddGuest(string email, string? displayName, bool accepted = true)
    {
        var now = _time.GetUtcNow();
        var user = new DirectoryUser
        {
            Id = Guid.NewGuid().ToString(),
            UserPrincipalName = TenantSeed.GuestUserPrincipalName(email),
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName,
            Mail = email,
            OtherMails = [email],
            UserType = "Guest",
            ExternalUserState = accepted ? "Accepted" : "PendingAcceptance",
            ExternalUserStateChangeDateTime = now,
            CreatedDateTime = now,
            CreationType = "Invitation",
        };
        lock (_gate)
        {
            _users.Add(user.Id, user);
        }

        return user;
    }

    /// <summary>The users in deleted items (restorable), oldest deletion first.</summary>
    public IReadOnlyList<DirectoryUser> DeletedUsers()
    {
        lock (_gate)
        {
            return [.. _deleted.Values];
        }
    }

    /// <summary>
    /// <c>DELETE /users/{id}</c>: the user moves to deleted items with its memberships kept for a restore. Entra's rules:
    /// a delegated caller needs User Administrator (or Privileged Authentication / Global Administrator), and nobody
    /// deletes a user who holds a directory role with User.ReadWrite.All alone.
    /// </summary>
    internal TenantError? DeleteUser(string idOrUpn, GraphPrincipal caller)
    {
        if (caller.Person is { } person && !person.Roles.Any(r => r == TenantSeed.UserAdministrator || r == TenantSeed.GlobalAdministrator))
        {
            return new TenantError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }

        lock (_gate)
        {
            var user = FindUser(idOrUpn);
            if (user is null || user.VisibleFrom > _time.GetUtcNow())
            {
                return TenantError.NotFound(idOrUpn);
            }

            if (FindPerson(user.Id) is { Roles.Count: > 0 })
            {
                return new TenantError(403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation. A user who holds a directory role cannot be deleted with these privileges.");
            }

            _users.Remove(user.Id);
            _deleted[user.Id] = user with { DeletedDateTime = _time.GetUtcNow() };
            return null;
        }
    }

    /// <summary><c>POST /directory/deletedItems/{id}/restore</c>: the user comes back with the same id, groups and assignments.</summary>
    internal (DirectoryUser? User, TenantError? Error) RestoreUser(string id, GraphPrincipal caller)
    {
        if (caller.Person is { } person && !person.Roles.Any(r => r == TenantSeed.UserAdministrator || r == TenantSeed.GlobalAdministrator))
        {
            return (null, new TenantError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
        }

        lock (_gate)
        {
            if (!_deleted.Remove(id, out var user))
            {
                return (null, TenantError.NotFound(id));
            }

            user = user with { DeletedDateTime = null };
            _users[user.Id] = user;
            return (user, null);
        }
    }

    /// <summary>The user with this address; a guest before a member, as an invitation adopts only guests.</summary>
    private DirectoryUser? FindByAddress(string email) => _users.Values
        .Where(u => string.Equals(u.Mail, email, StringComparison.OrdinalIgnoreCase)
            || u.OtherMails.Contains(email, StringComparer.OrdinalIgnoreCase))
        .OrderBy(u => u.UserType == "Guest" ? 0 : 1)
        .FirstOrDefault();
}
