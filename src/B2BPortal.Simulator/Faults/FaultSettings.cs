namespace B2BPortal.Simulator.Faults;

/// <summary>The fault injection in force for Graph requests (JSON names are public: README "The simulated tenant").</summary>
public sealed record FaultSettings
{
    public const int DefaultInvitationsPer5s = 150;

    /// <summary>Graph's identity write limit per app and tenant: 3,000 requests per 150 s (service-specific throttling limits).</summary>
    public const int DefaultWritesPer150s = 3_000;

    /// <summary>Added to every Graph request.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Fraction of Graph requests answered 429 with Retry-After.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>Fraction of Graph requests answered 503.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Fraction of Graph requests that get no answer within 100 s.</summary>
    public double TimeoutRate { get; init; }

    public int RetryAfterSeconds { get; init; } = 2;

    /// <summary>The tenant's invitation limit per 5 seconds; above it Graph answers 429.</summary>
    public int InvitationsPer5s { get; init; } = DefaultInvitationsPer5s;

    /// <summary>
    /// Identity writes (group member adds, app role assignments) admitted per sliding 150 s; above it Graph answers 429
    /// with the seconds until a write leaves the window. On by default, as in Entra.
    /// </summary>
    public int WritesPer150s { get; init; } = DefaultWritesPer150s;

    /// <summary>After this many invitations every further one gets the abuse 403; null = never.</summary>
    public int? AbuseBlockAfter { get; init; }

    /// <summary>
    /// Seconds a new guest stays invisible to Graph's directory reads and writes after its invitation (Entra: a new
    /// guest "might take a few minutes" to replicate): <c>/users</c> does not list it, and <c>GET /users/{id}</c>, group
    /// adds and app assignments answer 404 for it. 0 = visible at once.
    /// </summary>
    public int ReplicationDelaySeconds { get; init; }

    /// <summary>Seed of the fault dice: the same seed and request order give the same faults.</summary>
    public int? Seed { get; init; }
}
