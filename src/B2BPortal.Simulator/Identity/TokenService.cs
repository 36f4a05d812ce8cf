using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using B2BPortal.Simulator.Tenant;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace B2BPortal.Simulator.Identity;

/// <summary>Issues and validates the tenant's tokens with an RS256 key generated at start (published in the JWKS).</summary>
internal sealed class TokenService : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SimulatorOptions _options;

    public TokenService(SimulatorOptions options)
    {
        _options = options;
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(_rsa.ExportSubjectPublicKeyInfo()))[..16];
        _key = new RsaSecurityKey(_rsa) { KeyId = kid };
        _credentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId => _key.KeyId;

    public object Jwks()
    {
        var p = _rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA",
                    use = "sig",
                    alg = "RS256",
                    kid = _key.KeyId,
                    n = Base64UrlEncoder.Encode(p.Modulus),
                    e = Base64UrlEncoder.Encode(p.Exponent),
                },
            },
        };
    }

    public string IdToken(string issuer, ClientApp client, Person person, string? nonce)
    {
        var claims = PersonClaims(person, client);
        claims["aud"] = client.ClientId;
        if (!string.IsNullOrEmpty(nonce))
        {
            claims["nonce"] = nonce;
        }

        return Create(issuer, claims);
    }

    /// <summary>A delegated access token for a signed-in person.</summary>
    public string UserAccessToken(string issuer, ClientApp client, Person person, TokenAudience audience)
    {
        var claims = PersonClaims(person, client);
        claims["aud"] = audience.Audience;
        claims["scp"] = string.Join(' ', audience.DelegatedScopes);
        claims["azp"] = client.ClientId;
        claims["appid"] = client.ClientId;
        claims["idtyp"] = "user";
        return Create(issuer, claims);
    }

    /// <summary>An app-only access token (client credentials): roles are the client's application permissions.</summary>
    public string AppAccessToken(string issuer, ClientApp client, TokenAudience audience)
    {
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience.Audience,
            ["tid"] = SimulatedTenantDefaults.TenantId,
            ["oid"] = ServicePrincipalObjectId(client),
            ["sub"] = ServicePrincipalObjectId(client),
            ["azp"] = client.ClientId,
            ["appid"] = client.ClientId,
            ["azpacr"] = "1",
            ["idtyp"] = "app",
            ["ver"] = "2.0",
            ["uti"] = Guid.NewGuid().ToString("N"),
        };
        if (audience.AppRoles.Count > 0)
        {
            claims["roles"] = audience.AppRoles.ToArray();
        }

        return Create(issuer, claims);
    }

    /// <summary>Checks signature, lifetime, an issuer of this tenant (on any host) and the audience.</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token, IEnumerable<string> audiences)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = _key,
            ValidAudiences = audiences,
            IssuerValidator = (issuer, _, _) =>
                issuer.EndsWith($"/_tenant/{SimulatedTenantDefaults.TenantId}/v2.0", StringComparison.Ordinal)
                    ? issuer
                    : throw new SecurityTokenInvalidIssuerException("Issuer is not this tenant."),
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now.AddMinutes(5)) && expires > now.AddMinutes(-5);
            },
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }

    public void Dispose() => _rsa.Dispose();

    private static string ServicePrincipalObjectId(ClientApp client) =>
        new Guid(Hash16($"sp:{client.ClientId}")).ToString();

    private static byte[] Hash16(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16];

    /// <summary>Entra's sub is pairwise (per app); derive it from the person and the client.</summary>
    private static string PairwiseSubject(Person person, ClientApp client) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{person.Id}:{client.ClientId}")))[..43];

    private static Dictionary<string, object> PersonClaims(Person person, ClientApp client)
    {
        var claims = new Dictionary<string, object>
        {
            ["tid"] = SimulatedTenantDefaults.TenantId,
            ["oid"] = person.Id,
            ["sub"] = PairwiseSubject(person, client),
            ["name"] = person.DisplayName,
            ["preferred_username"] = person.UserPrincipalName,
            ["ver"] = "2.0",
            ["uti"] = Guid.NewGuid().ToString("N"),
        };
        if (person.Roles.Count > 0)
        {
            claims["wids"] = person.Roles.Select(r => r.TemplateId).ToArray();
        }

        return claims;
    }

    private string Create(string issuer, Dictionary<string, object> claims)
    {
        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AccessTokenLifetime,
            SigningCredentials = _credentials,
            TokenType = "JWT",
        });
    }
}

/// <summary>Who a token is for and what it grants, resolved from the requested scopes.</summary>
internal sealed record TokenAudience(string Audience, IReadOnlyList<string> AppRoles, IReadOnlyList<string> DelegatedScopes);
