namespace B2BPortal.Simulator;

/// <summary>Start-up settings of the simulated tenant (everything else changes at run time through <c>/_tenant</c>).</summary>
public sealed class SimulatorOptions
{
    /// <summary>Clock for tokens, redemption times and the invitation rate window.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed of the fault dice when <c>PUT /_tenant/faults</c> gives none; null draws a random one.</summary>
    public int? FaultSeed { get; set; }

    /// <summary>Lifetime of every token issued, and the <c>expires_in</c> the token endpoint answers with.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an injected timeout holds the request before answering 504 (Graph's client gives up at 100 s).</summary>
    public TimeSpan TimeoutDuration { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Scheme, host and port (no trailing slash) of an HTTPS listener for the back channel, or null. When set, the issuer,
    /// token endpoint and keys are advertised there, whichever listener a request came in on, because MSAL refuses an
    /// authority that is not HTTPS (docs/graph.md "Authorities over plain HTTP"). Set by the host once it listens.
    /// </summary>
    public string? SecureBaseUrl { get; set; }

    /// <summary>Hex SHA-256 of the HTTPS listener's certificate, published by <c>/_tenant/about</c> for clients to pin.</summary>
    public string? SecureCertificateSha256 { get; set; }

    /// <summary>
    /// Scheme, host and port (no trailing slash) a browser is sent to for sign-in and sign-out, or null for the request's own.
    /// Set together with <see cref="SecureBaseUrl"/>, so a back-channel request over HTTPS still sends browsers to plain
    /// HTTP, whose pages need no certificate a browser would warn about.
    /// </summary>
    public string? BrowserBaseUrl { get; set; }
}
