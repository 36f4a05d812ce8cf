using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;
using Microsoft.Identity.Web.TokenCacheProviders.Distributed;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// Sign-in (OpenID Connect + cookie) and API bearer tokens through Microsoft.Identity.Web, and the one
/// "invitation admin" policy that guards everything not deliberately public (docs/architecture.md decision 4).
/// </summary>
public static class AuthenticationSetup
{
    public const string InvitationAdminPolicy = "InvitationAdmin";

    /// <summary>A person holding the Global Administrator role (settings that widen what the portal may do in the tenant).</summary>
    public const string GlobalAdministratorPolicy = "GlobalAdministrator";

    /// <summary>Guest clean-up (deletes users): a Global Administrator in person, or an automation client with the API app role.</summary>
    public const string GuestCleanupPolicy = "GuestCleanup";

    /// <summary>
    /// Any member of the tenant signed in (no admin role needed; guests refused), or an automation client with the API app
    /// role: may make access requests and see their own (issue 13). Nothing else of the portal.
    /// </summary>
    public const string RequesterPolicy = "AccessRequester";

    /// <summary>Who decides access requests: the portal's admins (and automation), or members of <c>Portal:Access:ApproverGroups</c>.</summary>
    public const string ApproverPolicy = "AccessApprover";

    /// <summary>The sign-in cookie (the OpenAPI document names it for the cookie alternative to a bearer token).</summary>
    public const string AuthCookieName = "B2BPortal.Auth";

    // Policy schemes pick the concrete scheme per request: bearer header → API token, otherwise the cookie;
    // API paths are challenged with 401, pages with a redirect to sign-in.
    private const string SelectScheme = "Portal";
    private const string ChallengeScheme = "PortalChallenge";
    private const string ForbidScheme = "PortalForbid";

    /// <summary>Needs <c>AddPortalSimulation</c> first: it checks the tenant configuration and registers its resolver.</summary>
    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var tenant = TenantConnectionResolver.Resolve(configuration);
        services.AddValidatedOptions<PortalAccessOptions>(PortalAccessOptions.SectionName);
        services.AddValidatedOptions<PortalSessionOptions>(PortalSessionOptions.SectionName);

        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = SelectScheme;
            options.DefaultChallengeScheme = ChallengeScheme;
            options.DefaultForbidScheme = ForbidScheme;
        });

        var webApp = authentication.AddMicrosoftIdentityWebApp(
            identity => ConfigureIdentity(identity, configuration, tenant),
            cookie =>
            {
                cookie.AccessDeniedPath = "/Account/Denied";
                cookie.Cookie.Name = AuthCookieName;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.HttpOnly = true;
                cookie.SlidingExpiration = true;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            },
            OpenIdConnectDefaults.AuthenticationScheme,
            CookieAuthenticationDefaults.AuthenticationScheme);
        AddAdminTokenAcquisition(services, webApp, tenant);

        authentication.AddMicrosoftIdentityWebApi(
            bearer =>
            {
                // Entra v2 access tokens for this API carry the client id as audience; accept the App ID URI too.
                bearer.TokenValidationParameters.ValidAudiences = [tenant.ClientId, $"api://{tenant.ClientId}"];
                if (tenant.IsSimulated)
                {
                    bearer.RequireHttpsMetadata = tenant.SecureAuthority is not null;
                    if (tenant.SecureAuthority is { } secure)
                    {
                        bearer.BackchannelHttpHandler = secure.CreatePinnedHandler();
                    }
                }
            },
            identity =>
            {
                ConfigureIdentity(identity, configuration, tenant);

                // A valid token without roles is authenticated but not authorized: let the policy answer 403
                // instead of Microsoft.Identity.Web's blanket 401 for tokens with neither scp nor roles.
                identity.AllowWebApiToBeAuthorizedByACL = true;
            },
            JwtBearerDefaults.AuthenticationScheme);

        authentication.AddPolicyScheme(SelectScheme, "Cookie or bearer", options =>
            // The in-process simulated tenant checks its own Graph tokens; validating them as portal API tokens
            // would only log an audience failure per Graph request.
            // Pages take the sign-in cookie only: a bearer token (an automation client's) never opens them.
            options.ForwardDefaultSelector = context => HasBearerToken(context.Request) && AcceptsBearerToken(context.Request)
                ? JwtBearerDefaults.AuthenticationScheme
                : CookieAuthenticationDefaults.AuthenticationScheme);
        authentication.AddPolicyScheme(ChallengeScheme, "Sign in or 401", options =>
            options.ForwardDefaultSelector = context => IsApiRequest(context.Request)
                ? JwtBearerDefaults.AuthenticationScheme
                : OpenIdConnectDefaults.AuthenticationScheme);
        authentication.AddPolicyScheme(ForbidScheme, "403 page or 403", options =>
            options.ForwardDefaultSelector = context => IsApiRequest(context.Request)
                ? JwtBearerDefaults.AuthenticationScheme
                : CookieAuthenticationDefaults.AuthenticationScheme);

        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            // Microsoft.Identity.Web redeems the code through MSAL, which keeps the admin's refresh token for sending
            // as that admin (docs/architecture.md decision 5); without token acquisition the handler redeems it itself.
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            options.ClientSecret = tenant.ClientSecret;
            options.SaveTokens = false;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = "name";
            options.TokenValidationParameters.RoleClaimType = "roles";
            if (tenant.IsSimulated)
            {
                // The simulated tenant's metadata and keys are on its HTTPS back channel with a certificate pinned here
                // (or, without one, on plain HTTP). The portal itself is plain HTTP on loopback, so the correlation
                // cookies must survive plain HTTP too (the simulator is same-site: loopback).
                options.RequireHttpsMetadata = tenant.SecureAuthority is not null;
                if (tenant.SecureAuthority is { } secure)
                {
                    options.BackchannelHttpHandler = secure.CreatePinnedHandler();
                }

                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
            }

            options.Events.OnRedirectToIdentityProvider += context =>
            {
                // An API call never gets a sign-in redirect (README "API v1"): 401 instead.
                if (IsApiRequest(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.HandleResponse();
                }

                return Task.CompletedTask;
            };

            // Signing in stores fresh tokens (the code is redeemed through MSAL before the ID token is validated), so the
            // batches that paused waiting for this admin go on now.
            options.Events.OnTokenValidated = TenantOnly<Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext>(
                tenant.TenantId,
                context => context.Principal,
                (context, why) => context.Fail(why),
                options.Events.OnTokenValidated,
                async context =>
                {
                    if (context.Principal?.GetObjectId() is { } objectId
                        && context.HttpContext.RequestServices.GetService<Delivery.InvitationQueue>() is { } queue)
                    {
                        await queue.ResumeBatchesSentByAsync(objectId, context.HttpContext.RequestAborted);
                    }
                });
        });

        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters.RoleClaimType = "roles";

            // The portal's ID token has the portal's client id as audience too; only access tokens name the client
            // they were issued to (azp in v2, appid in v1), so a token without either is not an API token.
            options.Events ??= new JwtBearerEvents();
            options.Events.OnTokenValidated = TenantOnly<Microsoft.AspNetCore.Authentication.JwtBearer.TokenValidatedContext>(
                tenant.TenantId,
                context => context.Principal,
                (context, why) => context.Fail(why),
                options.Events.OnTokenValidated,
                context =>
                {
                    if (context.Principal is { } principal && !principal.HasClaim(c => c.Type is "azp" or "appid"))
                    {
                        context.Fail("An ID token is not an access token for the portal's API.");
                    }

                    return Task.CompletedTask;
                });
        });

        // Absolute session lifetime and the tenant check on every cookie, after Microsoft.Identity.Web's own cookie setup.
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options => SessionChecks.Apply(options, tenant.TenantId));

        if (tenant.IsSimulated)
        {
            // Microsoft.Identity.Web's AAD issuer validator reads the authority's metadata through its own retriever,
            // which neither pins the simulator's certificate nor reaches plain HTTP. In simulation only, validate the
            // issuer exactly against the simulated authority instead (signatures are still checked against its keys).
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options => UseExactIssuer(options.TokenValidationParameters, tenant));
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options => UseExactIssuer(options.TokenValidationParameters, tenant));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(InvitationAdminPolicy, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new InvitationAdminRequirement()))
            .AddPolicy(GlobalAdministratorPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => PortalAccessOptions.IsGlobalAdministrator(context.User)))
            .AddPolicy(GuestCleanupPolicy, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new GuestCleanupRequirement()))
            .AddPolicy(RequesterPolicy, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new AccessRequesterRequirement()))
            .AddPolicy(ApproverPolicy, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new AccessApproverRequirement()))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .AddRequirements(new InvitationAdminRequirement())
                .Build());
        services.AddSingleton<IAuthorizationHandler, InvitationAdminHandler>();
        services.AddSingleton<IAuthorizationHandler, GuestCleanupHandler>();
        services.AddSingleton<IAuthorizationHandler, AccessRequestHandler>();

        return services;
    }

    /// <summary>
    /// A worker-only instance (no sign-in pipeline) still acquires admins' tokens from the shared cache: register the
    /// same OpenID Connect scheme options and token acquisition, so Microsoft.Identity.Web reads identical settings
    /// (client, authority, cache) whichever role asks. No middleware uses the scheme there.
    /// </summary>
    public static IServiceCollection AddPortalTokenAcquisition(this IServiceCollection services, IConfiguration configuration)
    {
        var tenant = TenantConnectionResolver.Resolve(configuration);
        if (!tenant.CanAcquireUserTokens)
        {
            services.AddSingleton<Delivery.AdminTokens>();
            return services;
        }

        // No default scheme: the host adds the authentication middleware whenever schemes are registered, and a
        // worker's health requests must not be authenticated by the sign-in handler.
        var webApp = services.AddAuthentication().AddMicrosoftIdentityWebApp(
            identity => ConfigureIdentity(identity, configuration, tenant),
            _ => { },
            OpenIdConnectDefaults.AuthenticationScheme,
            CookieAuthenticationDefaults.AuthenticationScheme);
        AddAdminTokenAcquisition(services, webApp, tenant);
        return services;
    }

    /// <summary>
    /// Microsoft.Identity.Web's token acquisition for the signed-in admin's delegated Graph scopes, with MSAL's token
    /// cache in the portal's database, encrypted with the data-protection keys (docs/architecture.md decision 5).
    /// </summary>
    private static void AddAdminTokenAcquisition(IServiceCollection services, MicrosoftIdentityWebAppAuthenticationBuilder webApp, TenantConnection tenant)
    {
        services.AddSingleton<Delivery.AdminTokens>();
        if (!tenant.CanAcquireUserTokens)
        {
            // A simulator without its HTTPS back channel: MSAL would refuse the authority, so sign-in redeems the code
            // itself and AdminTokens answers that delegated tokens are unavailable.
            return;
        }

        webApp.EnableTokenAcquisitionToCallDownstreamApi(tenant.DelegatedGraphScopes(Delivery.AdminTokens.GraphPermissions)).AddDistributedTokenCaches();
        services.Configure<MsalDistributedTokenCacheAdapterOptions>(options =>
        {
            // The entry holds a refresh token for the admin's delegated scopes: never stored in clear.
            options.Encrypt = true;

            // Web and worker instances share the database cache; a per-process copy would keep serving a revoked
            // refresh token after the admin signed in again elsewhere.
            options.DisableL1Cache = true;

            // A held batch may wait days for its admin; Entra (not the cache) decides when the refresh token is no
            // longer good (up to 90 days of inactivity), and each use moves this on.
            options.SlidingExpiration = TimeSpan.FromDays(90);
            options.AbsoluteExpirationRelativeToNow = null;
        });

        if (tenant.SecureAuthority is { } secure)
        {
            // Simulation only: MSAL's HTTP client pins the simulator and routes its instance discovery there.
            services.AddSingleton<Microsoft.Identity.Client.IMsalHttpClientFactory>(new SimulatedTenantMsalHttpClientFactory(secure));
        }
    }

    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

    /// <summary>The API, its document and the metrics scrape take bearer tokens; pages and the simulated tenant do not.</summary>
    public static bool AcceptsBearerToken(HttpRequest request) =>
        IsApiRequest(request) || request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    public static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Who did it, for the audit log: a person's UPN or the automation client's id.</summary>
    public static string ActorName(this ClaimsPrincipal user)
    {
        var person = user.FindFirstValue("preferred_username") ?? user.FindFirstValue("upn");
        if (person is not null)
        {
            return person;
        }

        var app = user.FindFirstValue("azp") ?? user.FindFirstValue("appid");
        return app is null ? "unknown" : $"app:{app}";
    }

    private static void UseExactIssuer(Microsoft.IdentityModel.Tokens.TokenValidationParameters parameters, TenantConnection tenant)
    {
        parameters.IssuerValidator = null;
        parameters.ValidateIssuer = true;
        parameters.ValidIssuers = [tenant.Authority];
    }

    private static void ConfigureIdentity(MicrosoftIdentityOptions identity, IConfiguration configuration, TenantConnection tenant)
    {
        configuration.GetSection("AzureAd").Bind(identity);
        identity.Instance = tenant.AuthorityInstance;
        identity.TenantId = tenant.TenantId;
        identity.ClientId = tenant.ClientId;
        identity.ClientSecret = tenant.ClientSecret;
        identity.CallbackPath = "/signin-oidc";
        identity.SignedOutCallbackPath = "/signout-callback-oidc";
    }

    /// <summary>
    /// A token-validated handler that lets only people and clients of the configured tenant through (a multi-tenant app
    /// registration would let others try), then runs the handler Microsoft.Identity.Web set and then <paramref name="then"/>.
    /// The sign-in's and the bearer token's contexts share no base type that has both the principal and Fail.
    /// </summary>
    private static Func<TContext, Task> TenantOnly<TContext>(
        string tenantId, Func<TContext, ClaimsPrincipal?> principal, Action<TContext, string> fail, Func<TContext, Task> validated,
        Func<TContext, Task> then) =>
        async context =>
        {
            if (SessionChecks.WrongTenant(principal(context), tenantId) is { } wrongTenant)
            {
                fail(context, wrongTenant);
                return;
            }

            await validated(context);
            await then(context);
        };
}

/// <summary>The person holds one of the configured directory roles, or the API client holds the portal's app role.</summary>
public sealed class InvitationAdminRequirement : IAuthorizationRequirement;

/// <summary>A Global Administrator, or an API client holding the portal's app role: may run guest clean-up.</summary>
public sealed class GuestCleanupRequirement : IAuthorizationRequirement;

public sealed class GuestCleanupHandler(Microsoft.Extensions.Options.IOptionsMonitor<PortalAccessOptions> access)
    : AuthorizationHandler<GuestCleanupRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, GuestCleanupRequirement requirement)
    {
        var role = access.CurrentValue.ApiAppRole;
        if (PortalAccessOptions.IsGlobalAdministrator(context.User) || context.User.FindAll("roles").Any(c => string.Equals(c.Value, role, StringComparison.Ordinal)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public sealed class InvitationAdminHandler(Microsoft.Extensions.Options.IOptionsMonitor<PortalAccessOptions> access)
    : AuthorizationHandler<InvitationAdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, InvitationAdminRequirement requirement)
    {
        if (access.CurrentValue.IsInvitationAdmin(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A member of the tenant (a person, not a guest) or an API client with the app role: may request access for partners.</summary>
public sealed class AccessRequesterRequirement : IAuthorizationRequirement;

/// <summary>An invitation admin, or a member of one of the configured approver groups: decides access requests.</summary>
public sealed class AccessApproverRequirement : IAuthorizationRequirement;

public sealed class AccessRequestHandler(Microsoft.Extensions.Options.IOptionsMonitor<PortalAccessOptions> access) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = access.CurrentValue;
        var user = context.User;
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            var met = requirement switch
            {
                AccessRequesterRequirement => IsMember(user) || options.IsInvitationAdmin(user),
                AccessApproverRequirement => options.IsInvitationAdmin(user) || options.IsApproverGroupMember(user),
                _ => false,
            };
            if (met)
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A person of the tenant: a user object id and a user name (an app-only token has neither), and not a guest (Entra's
    /// optional <c>acct</c> claim is 1 for guests). Wrong-tenant sign-ins are refused before this.
    /// </summary>
    public static bool IsMember(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Delivery.BatchSender.From(user) is not null && user.FindFirstValue("acct") != "1";
    }
}
