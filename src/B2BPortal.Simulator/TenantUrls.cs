using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace B2BPortal.Simulator;

/// <summary>
/// The tenant's addresses, built from the incoming request so the same code works standalone, in-process on
/// whatever port the portal got, and over HTTPS. With a secure back channel (<see cref="SimulatorOptions.SecureBaseUrl"/>)
/// the issuer, token endpoint and keys live on the HTTPS base and the browser-facing pages on the plain one.
/// </summary>
internal sealed record TenantUrls(string Base, string SecureBase, string BrowserBase)
{
    public const string Prefix = "/_tenant";

    public static TenantUrls For(HttpRequest request)
    {
        var own = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var options = request.HttpContext.RequestServices.GetService<SimulatorOptions>();
        return new(own, options?.SecureBaseUrl ?? own, options?.SecureBaseUrl is null ? own : options.BrowserBaseUrl ?? own);
    }

    public string TenantRoot => $"{SecureBase}{Prefix}/{SimulatedTenantDefaults.TenantId}";

    /// <summary>Also the issuer, exactly: one value whichever listener issued the token.</summary>
    public string Authority => $"{TenantRoot}/v2.0";

    public string Discovery => $"{Authority}/.well-known/openid-configuration";

    public string Jwks => $"{TenantRoot}/discovery/v2.0/keys";

    public string Authorize => $"{BrowserBase}{Prefix}/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/authorize";

    public string Token => $"{TenantRoot}/oauth2/v2.0/token";

    public string Logout => $"{BrowserBase}{Prefix}/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/logout";

    public string GraphBase => $"{Base}{Prefix}/graph/v1.0";

    public string Redeem(string token) => $"{Base}{Prefix}/redeem/{token}";
}
