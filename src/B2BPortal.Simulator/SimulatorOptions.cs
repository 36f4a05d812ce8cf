namespace B2BPortal.Simulator;

/// <summary>Start-up settings of the simulated tenant (everything else changes at run time through <c>/_tenant</c>).</summary>
public sealed class SimulatorOptions
{
    /// <summary>Clock for tokens, redemption times and the invitation rate window.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed of the fault dice when <c>PUT /_tenant/faults</c> gives none; null draws a random one.</summary>
    public int? FaultSeed { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an injected timeout holds the request before answering 504 (Graph's client gives up at 100 s).</summary>
    public TimeSpan TimeoutDuration { get; set; } = TimeSpan.FromSeconds(100);
}
