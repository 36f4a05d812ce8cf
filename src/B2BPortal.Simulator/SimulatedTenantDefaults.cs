namespace B2BPortal.Simulator;

/// <summary>
/// Fixed identifiers of the simulated tenant. They are constants so the portal's simulation configuration and
/// tests can name the same tenant, clients and people without reading <c>/_tenant/about</c> first.
/// The secrets are public on purpose: the simulated tenant is a development tool, never a production path.
/// </summary>
public static class SimulatedTenantDefaults
{
    public const string TenantId = "7f3b9c2e-4a1d-4e8b-9c6f-2d5a8e1b3c47";

    // The portal's app registration and the API it exposes, then the automation client that calls that API.
    public const string PortalClientId = "3c2a1b4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    public const string PortalClientSecret = "simulated-portal-secret";
    public const string PortalApiScope = $"api://{PortalClientId}/.default";

    /// <summary>The app role on the portal's API that the automation client holds.</summary>
    public const string PortalApiAppRole = "Invitations.Send";

    public const string AutomationClientId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    public const string AutomationClientSecret = "simulated-automation-secret";

    public const string GraphAudience = "https://graph.microsoft.com";
    public const string GraphScope = $"{GraphAudience}/.default";

    public const string PrimaryDomain = "contoso.onmicrosoft.com";
    public const string CustomDomain = "contoso.com";

    /// <summary>Invitations to this domain are refused as by cross-tenant access settings.</summary>
    public const string BlockedDomain = "blocked.example";

    /// <summary>An existing guest whose account is blocked from signing in: inviting it again fails.</summary>
    public const string BlockedGuestEmail = "blocked.guest@fabrikam.example";

    /// <summary>A member of the tenant whose mail is outside the tenant's domains (a contractor's own address).</summary>
    public const string MemberWithExternalMail = "casey.contractor@northwind.example";

    public const string GlobalAdminUpn = "admin@contoso.onmicrosoft.com";
    public const string GuestInviterUpn = "inviter@contoso.onmicrosoft.com";
    public const string UserAdminUpn = "useradmin@contoso.onmicrosoft.com";
    public const string NoRoleUpn = "employee@contoso.onmicrosoft.com";

    /// <summary>A Guest Inviter without a mail address or mailbox: Entra drops the custom message of her invitations.</summary>
    public const string NoMailboxUpn = "nomailbox@contoso.onmicrosoft.com";

    /// <summary>The organization's display name, as Microsoft's invitation email names it.</summary>
    public const string OrganizationName = "Contoso";

    /// <summary>The sender of Microsoft's invitation emails.</summary>
    public const string InvitationSender = "invites@microsoft.com";

    /// <summary>The groups every simulated tenant has (guests can be added to them).</summary>
    public static IReadOnlyList<Tenant.SimulatedGroup> Groups => Tenant.TenantSeed.Groups;

    /// <summary>The applications (with service principals) every simulated tenant has (guests can be assigned to them).</summary>
    public static IReadOnlyList<Tenant.SimulatedApplication> Applications => Tenant.TenantSeed.Applications;

    public const string GlobalAdministratorRoleId = "62e90394-69f5-4237-9190-012177145e10";
    public const string GuestInviterRoleId = "95e79109-95c0-4d8e-aee3-d01accf2d47b";
    public const string UserAdministratorRoleId = "fe930be7-5e62-47db-91af-98c3a49a38b1";
}
