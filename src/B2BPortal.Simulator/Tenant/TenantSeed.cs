using static B2BPortal.Simulator.SimulatedTenantDefaults;

namespace B2BPortal.Simulator.Tenant;

/// <summary>The fixed directory every simulated tenant starts with (and returns to on reset).</summary>
internal static class TenantSeed
{
    public static readonly DirectoryRole GlobalAdministrator = new("Global Administrator", GlobalAdministratorRoleId);
    public static readonly DirectoryRole GuestInviter = new("Guest Inviter", GuestInviterRoleId);
    public static readonly DirectoryRole UserAdministrator = new("User Administrator", UserAdministratorRoleId);

    public static readonly IReadOnlyList<Person> People =
    [
        new("0a1b2c3d-0001-4000-8000-000000000001", GlobalAdminUpn, "Alex Admin", [GlobalAdministrator]) { Mail = "admin@contoso.com" },
        new("0a1b2c3d-0002-4000-8000-000000000002", GuestInviterUpn, "Gray Inviter", [GuestInviter]) { Mail = "inviter@contoso.com" },
        new("0a1b2c3d-0003-4000-8000-000000000003", UserAdminUpn, "Uma Useradmin", [UserAdministrator]) { Mail = "useradmin@contoso.com" },
        new("0a1b2c3d-0004-4000-8000-000000000004", NoRoleUpn, "Noel Norole", []) { Mail = "employee@contoso.com" },

        // No mail address: the case where Entra leaves the inviter's custom message out of Microsoft's email.
        new("0a1b2c3d-0005-4000-8000-000000000005", NoMailboxUpn, "Nia Nomailbox", [GuestInviter]),
    ];

    public static readonly ClientApp PortalClient = new(
        PortalClientId,
        PortalClientSecret,
        "B2B Portal",
        [
            "User.Invite.All", "User.Read.All", "GroupMember.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Application.Read.All",

            // The tenant's verified domains (its own addresses are never invited as guests).
            "Organization.Read.All",

            // Reading the guest invite setting, and sending the portal's own invitation email from a mailbox of the tenant.
            "Policy.Read.All", "Mail.Send",

            // Only for re-sending with "reset redemption" (Entra's Reset redemption status); consented here so demos work.
            "User.ReadWrite.All",

            // Guest clean-up: last sign-in of guests (signInActivity; the tenant also needs Entra ID P1).
            "AuditLog.Read.All",
        ],
        []);

    public static readonly ClientApp AutomationClient = new(
        AutomationClientId,
        AutomationClientSecret,
        "B2B Portal automation",
        [],
        [PortalApiAppRole]);

    public static readonly IReadOnlyList<ClientApp> Clients = [PortalClient, AutomationClient];

    public static readonly IReadOnlyList<SimulatedGroup> Groups =
    [
        new("6b1f0c2a-1001-4c00-9000-000000000001", "Partners - All guests"),
        new("6b1f0c2a-1002-4c00-9000-000000000002", "Partners - Fabrikam"),
        new("6b1f0c2a-1003-4c00-9000-000000000003", "Project Falcon"),
    ];

    public static readonly IReadOnlyList<SimulatedApplication> Applications =
    [
        new("c5a1e0b2-2001-4a00-a000-000000000001", "d7e2f1c3-3001-4b00-b000-000000000001", "Partner Extranet",
            [new AppRole("e8f3a2d4-4001-4c00-c000-000000000001", "Extranet.Reader", "Extranet reader")])
        {
            ApplicationObjectId = "a9b8c7d6-5001-4e00-e000-000000000001",
            LogoUrl = $"https://secure.aadcdn.microsoftonline-p.com/{TenantId}/appbranding/c5a1e0b2-2001-4a00-a000-000000000001/1/bannerlogo",
        },
        new("c5a1e0b2-2002-4a00-a000-000000000002", "d7e2f1c3-3002-4b00-b000-000000000002", "Supplier Portal", [])
        {
            ApplicationObjectId = "a9b8c7d6-5002-4e00-e000-000000000002",
        },
        new("c5a1e0b2-2003-4a00-a000-000000000003", "d7e2f1c3-3003-4b00-b000-000000000003", "Expense Reports", [])
        {
            ApplicationObjectId = "a9b8c7d6-5003-4e00-e000-000000000003",
        },
    ];

    public static readonly IReadOnlyList<string> VerifiedDomains = [PrimaryDomain, CustomDomain];

    public static readonly IReadOnlyList<string> BlockedDomains = [BlockedDomain];

    public const string BlockedGuestId = "0a1b2c3d-0099-4000-8000-000000000099";

    public const string ExternalMailMemberId = "0a1b2c3d-0098-4000-8000-000000000098";

    public static IEnumerable<DirectoryUser> Users(DateTimeOffset createdAt)
    {
        foreach (var person in People)
        {
            yield return new DirectoryUser
            {
                Id = person.Id,
                UserPrincipalName = person.UserPrincipalName,
                DisplayName = person.DisplayName,
                Mail = person.Mail,
                UserType = "Member",
                CreatedDateTime = createdAt,
            };
        }

        // A member (no sign-in in the simulator) whose mail is at a partner's domain: inviting that address must not adopt
        // the member, and Entra would make a second, guest account for it.
        yield return new DirectoryUser
        {
            Id = ExternalMailMemberId,
            UserPrincipalName = $"casey.contractor@{PrimaryDomain}",
            DisplayName = "Casey Contractor",
            Mail = MemberWithExternalMail,
            UserType = "Member",
            CreatedDateTime = createdAt,
        };

        yield return new DirectoryUser
        {
            Id = BlockedGuestId,
            UserPrincipalName = GuestUserPrincipalName(BlockedGuestEmail),
            DisplayName = "Blocked Guest",
            Mail = BlockedGuestEmail,
            OtherMails = [BlockedGuestEmail],
            UserType = "Guest",
            ExternalUserState = "Accepted",
            ExternalUserStateChangeDateTime = createdAt,
            AccountEnabled = false,
            CreatedDateTime = createdAt,
            CreationType = "Invitation",
        };
    }

    /// <summary>Entra's shape for a guest's UPN: the address with @ turned into _, then #EXT# in the home domain.</summary>
    public static string GuestUserPrincipalName(string email) =>
        $"{email.Replace('@', '_')}#EXT#@{PrimaryDomain}".ToLowerInvariant();
}
