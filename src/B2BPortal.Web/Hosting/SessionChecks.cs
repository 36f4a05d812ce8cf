using System.Security.Claims;
using Microsoft.Identity.Web;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// Issue 11's session rules on top of the sliding sign-in cookie: an absolute lifetime counted from sign-in (kept in
/// the ticket, so renewing the cookie does not move it), and the token's or cookie's <c>tid</c> must be the configured
/// tenant's — at sign-in, on every cookie, and on every API bearer token.
/// </summary>
public static class SessionChecks
{
    /// <summary>The ticket item holding when the person signed in (round-trip UTC).</summary>
    public const string SignedInAtItem = ".b2bportal.signedInAt";

    /// <summary>Why a principal's tenant is not the portal's, or null when it is (or the configured tenant is not a GUID to compare with).</summary>
    public static string? WrongTenant(ClaimsPrincipal? principal, string configuredTenantId)
    {
        if (!Guid.TryParse(configuredTenantId, out var expected))
        {
            // A tenant named by domain: Microsoft.Identity.Web's issuer check already pins the tenant.
            return null;
        }

        // "tid", or its long form when a handler maps inbound claims.
        var tid = principal?.GetTenantId();
        return Guid.TryParse(tid, out var actual) && actual == expected
            ? null
            : "the token's tenant (tid) is not the tenant this portal is configured for";
    }

    /// <summary>Why a sign-in cookie no longer counts, or null when it does.</summary>
    public static string? Problem(ClaimsPrincipal? principal, AuthenticationProperties properties, DateTimeOffset now, TimeSpan absoluteLifetime, string configuredTenantId)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (!properties.Items.TryGetValue(SignedInAtItem, out var text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt))
        {
            return "the sign-in time is missing";
        }

        if (now - signedInAt >= absoluteLifetime)
        {
            return "the sign-in is older than Portal:Session:AbsoluteLifetime";
        }

        return WrongTenant(principal, configuredTenantId);
    }

    /// <summary>Stamps the sign-in time at sign-in and refuses cookies past the absolute lifetime or of another tenant.</summary>
    internal static void Apply(CookieAuthenticationOptions options, string configuredTenantId)
    {
        var signingIn = options.Events.OnSigningIn;
        options.Events.OnSigningIn = context =>
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            context.Properties.Items[SignedInAtItem] = now.ToString("O", CultureInfo.InvariantCulture);
            return signingIn(context);
        };

        var validate = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = async context =>
        {
            var services = context.HttpContext.RequestServices;
            var lifetime = services.GetRequiredService<IOptionsMonitor<PortalSessionOptions>>().CurrentValue.AbsoluteLifetime;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (Problem(context.Principal, context.Properties, now, lifetime, configuredTenantId) is { } problem)
            {
                // No name or address in the log: the reason is enough to explain a sign-in prompt.
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionChecks))
                    .LogInformation("A sign-in cookie was refused: {Reason}; the person signs in again.", problem);
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return;
            }

            await validate(context);
        };
    }
}
