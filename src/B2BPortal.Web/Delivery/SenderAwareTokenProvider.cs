using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// The bearer token for each Graph request: the sending admin's delegated token while a row of their batch is being
/// processed (<see cref="ActAs"/>), otherwise the portal application's (client credentials). Only for Graph's host.
/// </summary>
internal sealed class SenderAwareTokenProvider(TokenCredential appCredential, string scope, string graphHost) : IAccessTokenProvider
{
    private static readonly AsyncLocal<string?> _actingToken = new();

    public AllowedHostsValidator AllowedHostsValidator { get; } = new([graphHost]);

    /// <summary>Graph calls in this async flow go out with <paramref name="accessToken"/> until the returned scope ends.</summary>
    public static IDisposable ActAs(string accessToken)
    {
        var previous = _actingToken.Value;
        _actingToken.Value = accessToken;
        return new Restore(previous);
    }

    /// <summary>The delegated token of this async flow (<see cref="ActAs"/>); null while the application's is used.</summary>
    public static string? ActingToken => _actingToken.Value;

    /// <summary>Graph calls in this async flow go out with the application's token (even inside <see cref="ActAs"/>) until the scope ends.</summary>
    public static IDisposable ActAsApplication()
    {
        var previous = _actingToken.Value;
        _actingToken.Value = null;
        return new Restore(previous);
    }

    public async Task<string> GetAuthorizationTokenAsync(
        Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!AllowedHostsValidator.IsUrlHostValid(uri) || uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            return string.Empty;
        }

        return _actingToken.Value
            ?? (await appCredential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken)).Token;
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => _actingToken.Value = previous;
    }
}
