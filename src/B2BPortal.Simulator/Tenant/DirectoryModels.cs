namespace B2BPortal.Simulator.Tenant;

public sealed record DirectoryRole(string Name, string TemplateId);

/// <summary>A member of the tenant who can sign in on the simulated sign-in page.</summary>
public sealed record Person(string Id, string UserPrincipalName, string DisplayName, IReadOnlyList<DirectoryRole> Roles)
{
    /// <summary>
    /// The person's mail address (and Exchange mailbox) in the tenant; null for an account without one. Entra drops the custom
    /// message of an invitation made by someone without a mail address, and Graph's sendMail has no mailbox to send from.
    /// </summary>
    public string? Mail { get; init; }
}

/// <summary>An app registration that can get tokens: Graph application permissions and app roles on the portal's API.</summary>
public sealed record ClientApp(
    string ClientId,
    string ClientSecret,
    string DisplayName,
    IReadOnlyList<string> GraphPermissions,
    IReadOnlyList<string> PortalApiRoles);

public sealed record SimulatedGroup(string Id, string DisplayName);

public sealed record AppRole(string Id, string Value, string DisplayName);

/// <summary>An application with its service principal, which guests can be assigned to.</summary>
public sealed record SimulatedApplication(
    string AppId,
    string ServicePrincipalId,
    string DisplayName,
    IReadOnlyList<AppRole> AppRoles)
{
    /// <summary>The object id of the app registration (<c>/applications/{id}</c>), distinct from the service principal's.</summary>
    public required string ApplicationObjectId { get; init; }

    /// <summary>The branding logo as Graph serves it in <c>info.logoUrl</c>; null when the app has none.</summary>
    public string? LogoUrl { get; init; }
}

/// <summary>A directory user (member or guest). Immutable: the tenant replaces it on change, so snapshots are safe.</summary>
public sealed record DirectoryUser
{
    public required string Id { get; init; }
    public required string UserPrincipalName { get; init; }
    public required string DisplayName { get; init; }
    public string? Mail { get; init; }
    public IReadOnlyList<string> OtherMails { get; init; } = [];

    /// <summary>Entra keeps the primary address as <c>SMTP:{mail}</c>; a user without mail has none.</summary>
    public IReadOnlyList<string> ProxyAddresses => Mail is null ? [] : [$"SMTP:{Mail}"];
    public required string UserType { get; init; }
    public string? ExternalUserState { get; init; }
    public DateTimeOffset? ExternalUserStateChangeDateTime { get; init; }
    public bool AccountEnabled { get; init; } = true;
    public DateTimeOffset CreatedDateTime { get; init; }

    /// <summary>When Graph's directory reads and writes first see this user (a new guest replicates; seeded users are visible).</summary>
    public DateTimeOffset VisibleFrom { get; init; } = DateTimeOffset.MinValue;
    public string? CreationType { get; init; }

    /// <summary>The last interactive sign-in (Graph's <c>signInActivity.lastSignInDateTime</c>); null when never signed in.</summary>
    public DateTimeOffset? LastSignInDateTime { get; init; }

    /// <summary>When the user was moved to deleted items (<c>DELETE /users/{id}</c>); null while the user is active.</summary>
    public DateTimeOffset? DeletedDateTime { get; init; }
}

public sealed record AppRoleAssignment(
    string Id,
    string AppRoleId,
    string PrincipalId,
    string PrincipalDisplayName,
    string ResourceId,
    string ResourceDisplayName,
    DateTimeOffset CreatedDateTime);
