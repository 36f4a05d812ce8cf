using System.Security.Claims;
using Microsoft.Identity.Web;

namespace B2BPortal.Web.Delivery;

/// <summary>The admin a batch is sent as: who they are in the directory, and the ids their cached tokens are filed under.</summary>
public sealed record BatchSender(string UserPrincipalName, string ObjectId, string TenantId)
{
    /// <summary>
    /// The signed-in person behind a browser request (the sign-in cookie's ID-token claims); null for an application
    /// (an app-only token has no user name), which sends as the portal's application.
    /// </summary>
    public static BatchSender? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var upn = user.FindFirstValue("preferred_username") ?? user.FindFirstValue("upn");
        // Microsoft.Identity.Web's readers take the short (oid, tid) and the long (schemas.microsoft.com) claim names.
        var objectId = user.GetObjectId();
        var tenantId = user.GetTenantId();
        return upn is null || objectId is null || tenantId is null ? null : new BatchSender(upn, objectId, tenantId);
    }

    /// <summary>As <see cref="From"/> for a browser request (sign-in cookie); null for a bearer-token call (automation sends app-only).</summary>
    public static BatchSender? OfBrowser(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Hosting.AuthenticationSetup.HasBearerToken(context.Request) ? null : From(context.User);
    }
}
