using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace B2BPortal.Simulator.Identity;

internal sealed record AuthorizationCode(
    string ClientId,
    string RedirectUri,
    string PersonId,
    string Scope,
    string? Nonce,
    string? CodeChallenge,
    DateTimeOffset ExpiresAt);

internal sealed record RefreshGrant(string ClientId, string PersonId, string Scope)
{
    /// <summary>When the person's sessions were revoked after this token was issued; null while it is good.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset IssuedAt { get; init; }
}

/// <summary>Outstanding authorization codes (single use, short-lived) and refresh tokens (rotated on use).</summary>
internal sealed class AuthorizationStore
{
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);

    public string IssueCode(AuthorizationCode code)
    {
        var value = NewHandle();
        _codes[value] = code;
        return value;
    }

    public AuthorizationCode? RedeemCode(string code) => _codes.TryRemove(code, out var grant) ? grant : null;

    public string IssueRefreshToken(RefreshGrant grant)
    {
        var value = NewHandle();
        _refreshTokens[value] = grant;
        return value;
    }

    /// <summary>
    /// Spends a refresh token. A revoked one stays known (and answers with its revocation) so the token endpoint can say
    /// AADSTS50173 as Entra does, instead of calling it unknown.
    /// </summary>
    public RefreshGrant? RedeemRefreshToken(string token)
    {
        if (_refreshTokens.TryGetValue(token, out var grant) && grant.RevokedAt is not null)
        {
            return grant;
        }

        return _refreshTokens.TryRemove(token, out grant) ? grant : null;
    }

    /// <summary>Revokes every refresh token the person holds (as revokeSignInSessions); returns how many.</summary>
    public int RevokeSessions(string personId, DateTimeOffset at)
    {
        var revoked = 0;
        foreach (var (token, grant) in _refreshTokens)
        {
            if (grant.RevokedAt is null && string.Equals(grant.PersonId, personId, StringComparison.OrdinalIgnoreCase)
                && _refreshTokens.TryUpdate(token, grant with { RevokedAt = at }, grant))
            {
                revoked++;
            }
        }

        return revoked;
    }

    private static string NewHandle() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
