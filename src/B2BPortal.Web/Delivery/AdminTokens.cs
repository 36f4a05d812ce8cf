using System.Security.Claims;
using Microsoft.Identity.Client;
using Microsoft.Identity.Web;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// Delegated Graph tokens for an admin who signed in to the portal, acquired silently from the token cache in the
/// portal's database — from a background worker, with no request and no HttpContext (docs/architecture.md decision 5).
/// When Entra wants that admin to sign in again, the answer says so in a sentence instead of throwing.
/// </summary>
public sealed class AdminTokens(IServiceScopeFactory scopes, TenantConnectionResolver tenant, ILogger<AdminTokens> logger)
{
    /// <summary>
    /// The delegated permissions sending as the admin needs, asked for at sign-in (offline_access is added by
    /// Microsoft.Identity.Web): invite, look guests up, add them to groups and apps, read apps for branding, and mail.
    /// </summary>
    public static readonly IReadOnlyList<string> GraphPermissions =
    [
        "User.Invite.All",
        "User.Read.All",
        "GroupMember.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All",
        "Application.Read.All",
        "Mail.Send",
    ];

    /// <summary>
    /// A Graph access token for the admin with this object id in this tenant, or why they must sign in again.
    /// Pass <paramref name="forceRefresh"/> to skip a cached access token and ask Entra (a revocation shows at once).
    /// </summary>
    public async Task<AdminToken> GetGraphTokenAsync(string objectId, string tenantId, CancellationToken ct, bool forceRefresh = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (!tenant.Current.CanAcquireUserTokens)
        {
            return AdminToken.SignInAgain(
                "Sending as an admin is unavailable: the simulated tenant was configured without its HTTPS authority " +
                $"({SimulatedAuthority.UrlKey} and {SimulatedAuthority.CertificateKey}).");
        }

        // Token acquisition is scoped (per request in the web); a worker's call is its own scope.
        await using var scope = scopes.CreateAsyncScope();
        var acquisition = scope.ServiceProvider.GetRequiredService<ITokenAcquisition>();
        try
        {
            var result = await acquisition.GetAuthenticationResultForUserAsync(
                tenant.Current.DelegatedGraphScopes(GraphPermissions),
                authenticationScheme: OpenIdConnectDefaults.AuthenticationScheme,
                tenantId: tenantId,
                user: Principal(objectId, tenantId),
                tokenAcquisitionOptions: new TokenAcquisitionOptions { CancellationToken = ct, ForceRefresh = forceRefresh }).ConfigureAwait(false);
            return AdminToken.Acquired(result.AccessToken, result.ExpiresOn);
        }
        catch (Exception ex) when (SignInReason(ex) is { } reason)
        {
            logger.AdminSignInNeeded(objectId, ErrorCode(ex));
            return AdminToken.SignInAgain(reason);
        }
    }

    /// <summary>
    /// The principal Microsoft.Identity.Web looks the cache up by: oid/tid, and uid/utid, which GetMsalAccountId reads
    /// first. For the tenant's own members (the portal's admins) the home ids are the object and tenant ids.
    /// </summary>
    private static ClaimsPrincipal Principal(string objectId, string tenantId) => new(new ClaimsIdentity(
        [
            new Claim(ClaimConstants.Oid, objectId),
            new Claim(ClaimConstants.Tid, tenantId),
            new Claim(ClaimConstants.UniqueObjectIdentifier, objectId),
            new Claim(ClaimConstants.UniqueTenantIdentifier, tenantId),
        ],
        authenticationType: "PortalWorker"));

    /// <summary>The failures that only the admin signing in again can fix; anything else is the caller's to retry or report.</summary>
    private static string? SignInReason(Exception ex)
    {
        var ui = ex as MsalUiRequiredException ?? (ex as MicrosoftIdentityWebChallengeUserException)?.MsalUiRequiredException;
        if (ui is not null)
        {
            return ui.ErrorCode switch
            {
                MsalError.UserNullError or MsalError.NoAccountForLoginHint or MsalError.NoTokensFoundError =>
                    "The portal holds no sign-in for this admin (never stored, or removed): they need to sign in to the portal again.",
                MsalError.InvalidGrantError =>
                    "Microsoft Entra no longer accepts this admin's sign-in (sessions revoked, password changed, or the sign-in " +
                    "expired or lost its consent): they need to sign in to the portal again.",
                _ =>
                    "Microsoft Entra wants this admin to sign in interactively (for example multifactor authentication or a " +
                    "new consent): they need to sign in to the portal again.",
            };
        }

        return ex is MsalServiceException { ErrorCode: MsalError.InvalidGrantError }
            ? "Microsoft Entra no longer accepts this admin's sign-in: they need to sign in to the portal again."
            : null;
    }

    private static string ErrorCode(Exception ex) =>
        (ex as MsalException ?? (ex as MicrosoftIdentityWebChallengeUserException)?.MsalUiRequiredException)?.ErrorCode ?? ex.GetType().Name;
}

/// <summary>
/// Either a delegated access token (with its expiry) or the sentence a person can act on. Not a record: its text
/// must never print the token (logs, exceptions, debugger displays).
/// </summary>
public sealed class AdminToken
{
    private AdminToken(string? accessToken, DateTimeOffset expiresOn, string? signInAgainReason)
    {
        AccessToken = accessToken;
        ExpiresOn = expiresOn;
        SignInAgainReason = signInAgainReason;
    }

    /// <summary>The bearer token for Graph; null when the admin must sign in again.</summary>
    public string? AccessToken { get; }

    public DateTimeOffset ExpiresOn { get; }

    /// <summary>Why the admin must sign in again, in words for the batch page; null when a token was acquired.</summary>
    public string? SignInAgainReason { get; }

    public bool MustSignInAgain => AccessToken is null;

    public static AdminToken Acquired(string accessToken, DateTimeOffset expiresOn) => new(accessToken, expiresOn, null);

    public static AdminToken SignInAgain(string reason) => new(null, default, reason);

    public override string ToString() => MustSignInAgain ? $"Sign in again: {SignInAgainReason}" : $"Token until {ExpiresOn:O}";
}
