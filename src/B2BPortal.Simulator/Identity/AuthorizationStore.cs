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

internal sealed record RefreshGrant(string ClientId, string PersonId, string Scope);

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

    public RefreshGrant? RedeemRefreshToken(string token) => _refreshTokens.TryRemove(token, out var grant) ? grant : null;

    private static string NewHandle() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
