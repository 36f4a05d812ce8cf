namespace B2BPortal.Web.Delivery;

public enum PacingMode
{
    /// <summary>Invitations go out at the configured rate.</summary>
    Sending = 0,

    /// <summary>Graph asked everyone to wait (Retry-After) until <see cref="PacingState.ThrottledUntil"/>.</summary>
    Throttled = 1,

    /// <summary>Graph's abuse block, or Graph refusing the sender (invite setting, consent): nothing is sent until an admin resumes.</summary>
    Paused = 2,
}

/// <summary>What the admin banner shows: sending, throttled until a time, or paused with Graph's reason.</summary>
public sealed record PacingState(PacingMode Mode, DateTime? ThrottledUntil, DateTime? PausedAt, string? PausedReason)
{
    public bool IsPaused => Mode == PacingMode.Paused;

    /// <summary>One sentence for the banner.</summary>
    public string Description => Mode switch
    {
        PacingMode.Paused => $"Sending is paused for the whole tenant since {PausedAt:yyyy-MM-dd HH:mm} UTC. Microsoft Graph said: \"{PausedReason}\" Nothing was marked failed; an administrator must resume sending.",
        PacingMode.Throttled => $"Microsoft Graph asked to slow down; sending resumes at {ThrottledUntil:HH:mm:ss} UTC.",
        _ => "Invitations are being sent normally.",
    };
}

/// <summary>The pacer's answer to "may I call Graph now?".</summary>
public readonly record struct PacingDecision(PacingMode Mode, DateTime? Until, string? Reason)
{
    public bool MayProceed => Mode == PacingMode.Sending;

    public static PacingDecision Go { get; } = new(PacingMode.Sending, null, null);
}
