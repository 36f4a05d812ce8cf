using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Azure.Core;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// Client-credentials grant against the simulated tenant's plain-HTTP token endpoint, which Azure.Identity refuses
/// (docs/graph.md "Authorities over plain HTTP"). Simulation only: real tenants go through Azure.Identity.
/// </summary>
internal sealed class ClientCredentialsTokenCredential(
    HttpClient http,
    Uri tokenEndpoint,
    string clientId,
    string clientSecret,
    TimeProvider time) : TokenCredential
{
    // Renew a little early so a token never expires between the check and Graph's validation.
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        if (IsFresh(_cached))
        {
            return _cached!.Value;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh(_cached))
            {
                return _cached!.Value;
            }

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = string.Join(' ', requestContext.Scopes),
            });
            using var response = await http.PostAsync(tokenEndpoint, form, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new InvalidOperationException("The token endpoint returned no body.");
            var token = new AccessToken(body.AccessToken, time.GetUtcNow().AddSeconds(body.ExpiresIn));
            _cached = token;
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(AccessToken? token) => token is { } t && t.ExpiresOn - RenewalMargin > time.GetUtcNow();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] long ExpiresIn);
}
