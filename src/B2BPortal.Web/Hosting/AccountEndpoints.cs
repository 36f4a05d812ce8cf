using B2BPortal.Simulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace B2BPortal.Web.Hosting;

/// <summary>Sign-in and sign-out (Microsoft.Identity.Web.UI is not available, and these are two redirects).</summary>
public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        var account = app.MapGroup("/Account").AllowAnonymous();

        account.MapGet("/SignIn", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) },
            [OpenIdConnectDefaults.AuthenticationScheme]));

        // POST only, with the antiforgery token the layout's form carries: a link must not sign people out.
        account.MapPost("/SignOut", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        return app;
    }

    /// <summary>Says where the portal answers and, in simulation, who to sign in as.</summary>
    public static void LogStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("B2BPortal");
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var tenant = app.Services.GetRequiredService<TenantConnectionResolver>().Current;
            foreach (var address in addresses)
            {
                // The in-process simulator's HTTPS listener is the tenant's back channel, not an address for people.
                if (!string.Equals(address.TrimEnd('/'), tenant.SecureAuthority?.SecureBaseUrl, StringComparison.OrdinalIgnoreCase))
                {
                    logger.LogInformation("B2B Portal is listening on {Address}", address);
                }
            }

            if (tenant.IsSimulated)
            {
                logger.LogInformation(
                    "Simulated tenant at {Authority}. Sign in as {Upn} (Global Administrator); the mailbox is at {Mailbox}.",
                    tenant.Authority,
                    SimulatedTenantDefaults.GlobalAdminUpn,
                    tenant.Instance + "mailbox/view");
            }
        });
    }

    /// <summary>The return URL when it is local to the portal, else the dashboard.</summary>
    internal static string LocalOrHome(string? returnUrl) => IsLocalUrl(returnUrl) ? returnUrl! : "/";

    /// <summary>
    /// MVC's IUrlHelper.IsLocalUrl rules (not reachable from a minimal endpoint): "/" or "/x" but not "//" or "/\", and no
    /// control character anywhere — browsers drop a tab or line break, so "/\t/evil.example" would become "//evil.example".
    /// </summary>
    internal static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
