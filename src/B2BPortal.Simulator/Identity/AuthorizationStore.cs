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
    /// Looks a refresh token up. Using it does not spend it: the Microsoft identity platform "doesn't revoke old refresh
    /// tokens when used to fetch new access tokens" (docs/graph.md), so two workers refreshing the same admin's token at
    /// once both succeed there too. A revoked one answers with its revocation (AADSTS50173), as Entra does.
    /// </summary>
    public RefreshGrant? RedeemRefreshToken(string token) => _refreshTokens.TryGetValue(token, out var grant) ? grant : null;

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
