using Microsoft.AspNetCore.Http;

namespace B2BPortal.Simulator;

/// <summary>
/// The tenant's addresses, built from the incoming request so the same code works standalone, in-process on
/// whatever port the portal got, and over HTTPS.
/// </summary>
internal sealed record TenantUrls(string Base)
{
    public const string Prefix = "/_tenant";

    public static TenantUrls For(HttpRequest request) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}");

    public string TenantRoot => $"{Base}{Prefix}/{SimulatedTenantDefaults.TenantId}";

    /// <summary>Also the issuer, exactly.</summary>
    public string Authority => $"{TenantRoot}/v2.0";

    public string Discovery => $"{Authority}/.well-known/openid-configuration";

    public string Jwks => $"{TenantRoot}/discovery/v2.0/keys";

    public string Authorize => $"{TenantRoot}/oauth2/v2.0/authorize";

    public string Token => $"{TenantRoot}/oauth2/v2.0/token";

    public string Logout => $"{TenantRoot}/oauth2/v2.0/logout";

    public string GraphBase => $"{Base}{Prefix}/graph/v1.0";

    public string Redeem(string token) => $"{Base}{Prefix}/redeem/{token}";
}
