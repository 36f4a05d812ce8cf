using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using B2BPortal.Simulator.Pages;
using B2BPortal.Simulator.Tenant;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace B2BPortal.Simulator.Identity;

/// <summary>The identity provider: discovery, keys, authorize (with a sign-in page), token and logout, laid out like Entra's v2.0 endpoints.</summary>
internal static class OidcEndpoints
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    public static void Map(IEndpointRouteBuilder tenant)
    {
        var root = $"/{SimulatedTenantDefaults.TenantId}";
        tenant.MapGet($"{root}/v2.0/.well-known/openid-configuration", Discovery);
        tenant.MapGet($"{root}/discovery/v2.0/keys", (TokenService tokens) => Results.Json(tokens.Jwks(), SimulatorJson.Options));
        tenant.MapGet($"{root}/oauth2/v2.0/authorize", SignInPage);
        tenant.MapPost($"{root}/oauth2/v2.0/authorize", SignIn);
        tenant.MapPost($"{root}/oauth2/v2.0/token", Token);
        tenant.MapMethods($"{root}/oauth2/v2.0/logout", ["GET", "POST"], Logout);
        tenant.MapGet("/common/discovery/instance", InstanceDiscovery.Handle);
    }

    /// <summary>The token endpoint and discovery document at the root path MSAL computes from an Entra-style authority.</summary>
    public static void MapMsalAliases(IEndpointRouteBuilder root)
    {
        var tenant = $"/{SimulatedTenantDefaults.TenantId}";
        root.MapGet($"{tenant}/v2.0/.well-known/openid-configuration", Discovery);
        root.MapPost($"{tenant}/oauth2/v2.0/token", Token);

        // MSAL asks https://{host}/common/discovery/instance (login.microsoftonline.com, with the authority's port, for a host
        // it does not know): a client that routes that request here gets this tenant's metadata.
        root.MapGet("/common/discovery/instance", InstanceDiscovery.Handle);
    }

    private static IResult Discovery(HttpRequest request)
    {
        var urls = TenantUrls.For(request);
        return Results.Json(
            new Dictionary<string, object?>
            {
                ["issuer"] = urls.Authority,
                ["authorization_endpoint"] = urls.Authorize,
                ["token_endpoint"] = urls.Token,
                ["end_session_endpoint"] = urls.Logout,
                ["jwks_uri"] = urls.Jwks,
                ["response_types_supported"] = new[] { "code" },
                ["response_modes_supported"] = new[] { "query", "form_post" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
                ["grant_types_supported"] = new[] { "authorization_code", "refresh_token", "client_credentials" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["claims_supported"] = new[]
                {
                    "sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "name", "preferred_username", "oid", "tid", "wids", "ver",
                },
                ["request_uri_parameter_supported"] = false,
                ["frontchannel_logout_supported"] = true,
                ["http_logout_supported"] = true,
                ["tenant_region_scope"] = "EU",
                ["cloud_instance_name"] = "microsoftonline.com",
                ["cloud_graph_host_name"] = "graph.windows.net",
                ["msgraph_host"] = "graph.microsoft.com",
            },
            SimulatorJson.Options);
    }

    private static IResult SignInPage(HttpRequest request, SimulatedTenant tenant)
    {
        var parameters = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (Validate(parameters, tenant) is { } problem)
        {
            return problem;
        }

        var urls = TenantUrls.For(request);
        var hidden = string.Concat(parameters.Where(p => p.Key != "upn").Select(p => Html.Hidden(p.Key, p.Value)));
        var body = new StringBuilder("<p>Pick the person to sign in as. There are no passwords in the simulated tenant.</p>");
        foreach (var person in tenant.People)
        {
            var roles = person.Roles.Count == 0 ? "no directory role" : string.Join(", ", person.Roles.Select(r => r.Name));
            body.Append("<form method=\"post\" action=\"").Append(Html.E(urls.Authorize)).Append("\">")
                .Append(hidden)
                .Append(Html.Hidden("upn", person.UserPrincipalName))
                .Append("<button type=\"submit\">Sign in as ")
                .Append(Html.E(person.DisplayName)).Append(" (").Append(Html.E(person.UserPrincipalName)).Append(") — ")
                .Append(Html.E(roles))
                .Append("</button></form>");
        }

        return Html.Page("Sign in", body.ToString());
    }

    private static async Task<IResult> SignIn(HttpRequest request, SimulatedTenant tenant, AuthorizationStore store)
    {
        var form = await request.ReadFormAsync();
        var parameters = form.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (Validate(parameters, tenant) is { } problem)
        {
            return problem;
        }

        var person = tenant.FindPerson(parameters.GetValueOrDefault("upn") ?? string.Empty);
        if (person is null)
        {
            return Html.Page("Sign-in failed", "<p>Unknown person.</p>", 400);
        }

        var code = store.IssueCode(new AuthorizationCode(
            parameters["client_id"],
            parameters["redirect_uri"],
            person.Id,
            parameters.GetValueOrDefault("scope") ?? "openid",
            parameters.GetValueOrDefault("nonce"),
            parameters.GetValueOrDefault("code_challenge"),
            tenant.Time.GetUtcNow() + CodeLifetime));

        var response = new Dictionary<string, string?> { ["code"] = code };
        if (parameters.TryGetValue("state", out var state))
        {
            response["state"] = state;
        }

        return Respond(parameters, response);
    }

    /// <summary>Checks the authorize request; errors that cannot be sent back to the client are shown as a page.</summary>
    private static IResult? Validate(Dictionary<string, string> parameters, SimulatedTenant tenant)
    {
        var client = tenant.FindClient(parameters.GetValueOrDefault("client_id") ?? string.Empty);
        if (client is null)
        {
            return Html.Page("Sign-in failed", "<p>AADSTS700016: Application with the given client_id was not found in the tenant.</p>", 400);
        }

        if (!Uri.TryCreate(parameters.GetValueOrDefault("redirect_uri"), UriKind.Absolute, out var redirect)
            || (redirect.Scheme != Uri.UriSchemeHttp && redirect.Scheme != Uri.UriSchemeHttps))
        {
            return Html.Page("Sign-in failed", "<p>AADSTS50011: The redirect URI must be an absolute http or https URL.</p>", 400);
        }

        var responseMode = parameters.GetValueOrDefault("response_mode") ?? "query";
        if (responseMode is not ("query" or "form_post"))
        {
            return Html.Page("Sign-in failed", "<p>response_mode must be query or form_post.</p>", 400);
        }

        if (parameters.GetValueOrDefault("response_type") != "code")
        {
            return Error(parameters, "unsupported_response_type", "AADSTS700054: Only response_type=code is supported by the simulated tenant.");
        }

        if (parameters.TryGetValue("code_challenge", out var challenge) && !string.IsNullOrEmpty(challenge)
            && parameters.GetValueOrDefault("code_challenge_method") != "S256")
        {
            return Error(parameters, "invalid_request", "AADSTS501491: code_challenge_method must be S256.");
        }

        return null;
    }

    private static IResult Error(Dictionary<string, string> parameters, string error, string description)
    {
        var response = new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description };
        if (parameters.TryGetValue("state", out var state))
        {
            response["state"] = state;
        }

        return Respond(parameters, response);
    }

    /// <summary>Sends the answer to the client's redirect URI by query string or by an auto-submitting form.</summary>
    private static IResult Respond(Dictionary<string, string> parameters, Dictionary<string, string?> response)
    {
        var redirectUri = parameters["redirect_uri"];
        if (parameters.GetValueOrDefault("response_mode") == "form_post")
        {
            var fields = string.Concat(response.Select(p => Html.Hidden(p.Key, p.Value)));
            // The button stays visible: a host's Content-Security-Policy may block the inline auto-submit.
            var body = $"<form method=\"post\" action=\"{Html.E(redirectUri)}\">{fields}"
                + "<button type=\"submit\">Continue</button></form>";
            return Html.Page("Signing in…", body, bodyAttributes: "onload=\"document.forms[0].submit()\"");
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, response));
    }

    private static async Task<IResult> Token(HttpRequest request, SimulatedTenant tenant, TokenService tokens, AuthorizationStore store)
    {
        if (!request.HasFormContentType)
        {
            return TokenError(400, "invalid_request", "AADSTS900144: The request body must be application/x-www-form-urlencoded.");
        }

        var form = await request.ReadFormAsync();
        var (clientId, secret) = ClientCredentials(request, form);
        var client = tenant.FindClient(clientId ?? string.Empty);
        if (client is null)
        {
            return TokenError(400, "unauthorized_client", "AADSTS700016: Application with the given client_id was not found in the tenant.");
        }

        if (!FixedTimeEquals(secret, client.ClientSecret))
        {
            return TokenError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }

        var issuer = TenantUrls.For(request).Authority;
        var grantType = form["grant_type"].ToString();
        return grantType switch
        {
            "client_credentials" => ClientCredentialsGrant(issuer, client, form["scope"].ToString(), tokens, tenant),
            "authorization_code" => CodeGrant(issuer, client, form, tenant, tokens, store),
            "refresh_token" => RefreshGrantToken(issuer, client, form, tenant, tokens, store),
            _ => TokenError(400, "unsupported_grant_type", $"AADSTS70003: The grant type '{grantType}' is not supported."),
        };
    }

    private static IResult ClientCredentialsGrant(string issuer, ClientApp client, string scope, TokenService tokens, SimulatedTenant tenant)
    {
        var options = tenant.Options;
        var (audience, error) = ScopeResolver.Resolve(client, scope, appOnly: true, tenant.ConsentedGraphPermissions(client));
        if (audience is null)
        {
            return TokenError(400, "invalid_scope", error!);
        }

        return TokenResponse(new Dictionary<string, object>
        {
            ["access_token"] = tokens.AppAccessToken(issuer, client, audience),
        }, options);
    }

    private static IResult CodeGrant(
        string issuer, ClientApp client, IFormCollection form, SimulatedTenant tenant, TokenService tokens, AuthorizationStore store)
    {
        var code = store.RedeemCode(form["code"].ToString());
        if (code is null || code.ExpiresAt < tenant.Time.GetUtcNow() || code.ClientId != client.ClientId)
        {
            return TokenError(400, "invalid_grant", "AADSTS70008: The provided authorization code is invalid or has expired.");
        }

        if (form["redirect_uri"].ToString() != code.RedirectUri)
        {
            return TokenError(400, "invalid_grant", "AADSTS50148: The redirect_uri does not match the one of the authorization request.");
        }

        if (!string.IsNullOrEmpty(code.CodeChallenge))
        {
            var verifier = form["code_verifier"].ToString();
            var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (string.IsNullOrEmpty(verifier) || !FixedTimeEquals(computed, code.CodeChallenge))
            {
                return TokenError(400, "invalid_grant", "AADSTS501481: The code_verifier does not match the code_challenge supplied in the authorization request.");
            }
        }

        var person = tenant.FindPerson(code.PersonId)!;
        return UserTokens(issuer, client, person, code.Scope, code.Nonce, WantsClientInfo(form), tenant, tokens, store);
    }

    private static IResult RefreshGrantToken(
        string issuer, ClientApp client, IFormCollection form, SimulatedTenant tenant, TokenService tokens, AuthorizationStore store)
    {
        var grant = store.RedeemRefreshToken(form["refresh_token"].ToString());
        if (grant is null || grant.ClientId != client.ClientId)
        {
            return TokenError(400, "invalid_grant", "AADSTS9002313: Invalid refresh token.");
        }

        if (grant.RevokedAt is { } revokedAt)
        {
            var format = System.Globalization.CultureInfo.InvariantCulture;
            return TokenError(400, "invalid_grant",
                "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have "
                + $"changed or reset their password. The grant was issued on '{grant.IssuedAt.UtcDateTime.ToString("o", format)}' and the "
                + $"TokensValidFrom date (before which tokens are not valid) for this user is '{revokedAt.UtcDateTime.ToString("o", format)}'.");
        }

        var scope = form.TryGetValue("scope", out var requested) && !StringValues.IsNullOrEmpty(requested) ? requested.ToString() : grant.Scope;
        if (!ScopeResolver.WantsRefreshToken(scope))
        {
            scope += " offline_access";
        }

        return UserTokens(issuer, client, tenant.FindPerson(grant.PersonId)!, scope, nonce: null, WantsClientInfo(form), tenant, tokens, store);
    }

    /// <summary>MSAL asks for client_info=1: the account's home ids, which key its token cache (and Microsoft.Identity.Web's).</summary>
    private static bool WantsClientInfo(IFormCollection form) => form["client_info"].ToString() == "1";

    private static IResult UserTokens(
        string issuer, ClientApp client, Person person, string scope, string? nonce, bool clientInfo, SimulatedTenant tenant, TokenService tokens, AuthorizationStore store)
    {
        var (audience, error) = ScopeResolver.Resolve(client, scope, appOnly: false);
        if (audience is null)
        {
            return TokenError(400, "invalid_scope", error!);
        }

        var response = new Dictionary<string, object>
        {
            ["access_token"] = tokens.UserAccessToken(issuer, client, person, audience),
            ["id_token"] = tokens.IdToken(issuer, client, person, nonce),
            ["scope"] = string.Join(' ', audience.DelegatedScopes),
        };
        if (ScopeResolver.WantsRefreshToken(scope))
        {
            response["refresh_token"] = store.IssueRefreshToken(new RefreshGrant(client.ClientId, person.Id, scope) { IssuedAt = tenant.Time.GetUtcNow() });
        }

        if (clientInfo)
        {
            // Entra's client_info: base64url JSON of the home object and tenant ids (the tenant's own members: oid and tid).
            var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["uid"] = person.Id, ["utid"] = SimulatedTenantDefaults.TenantId });
            response["client_info"] = Base64UrlEncoder.Encode(json);
        }

        return TokenResponse(response, tenant.Options);
    }

    private static IResult TokenResponse(Dictionary<string, object> fields, SimulatorOptions options)
    {
        // A second short of the tokens' lifetime, as Entra answers 3599 for its hour: clients renew from this number.
        var seconds = Math.Max(1, (int)options.AccessTokenLifetime.TotalSeconds - 1);
        fields["token_type"] = "Bearer";
        fields["expires_in"] = seconds;
        fields["ext_expires_in"] = seconds;
        return Results.Json(fields, SimulatorJson.Options);
    }

    private static IResult TokenError(int status, string error, string description) => Results.Json(
        new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new[] { int.Parse(description[6..description.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) },
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        },
        SimulatorJson.Options,
        statusCode: status);

    /// <summary>client_secret_basic (Authorization header) or client_secret_post (form fields).</summary>
    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is not null)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private static bool FixedTimeEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static async Task<IResult> Logout(HttpRequest request)
    {
        var redirect = request.Query["post_logout_redirect_uri"].ToString();
        var state = request.Query["state"].ToString();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            redirect = string.IsNullOrEmpty(redirect) ? form["post_logout_redirect_uri"].ToString() : redirect;
            state = string.IsNullOrEmpty(state) ? form["state"].ToString() : state;
        }

        if (Uri.TryCreate(redirect, UriKind.Absolute, out var target) && (target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps))
        {
            return Results.Redirect(string.IsNullOrEmpty(state) ? redirect : QueryHelpers.AddQueryString(redirect, "state", state));
        }

        return Html.Page("Signed out", "<p>You have been signed out of the simulated tenant.</p>");
    }
}
