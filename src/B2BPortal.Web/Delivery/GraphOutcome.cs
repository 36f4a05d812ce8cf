namespace B2BPortal.Web.Delivery;

/// <summary>What one Graph call meant for the dispatcher; the gateway never throws for Graph's answers.</summary>
public abstract record GraphOutcome
{
    /// <summary>An outcome that was not what the caller needed, in words for a row's error or an admin's message.</summary>
    public static string Describe(GraphOutcome outcome) => outcome switch
    {
        PermanentFailure p => p.Message,
        Transient t => t.Reason,
        TenantBlocked b => b.Message,
        Throttled => "Throttled by Graph.",
        _ => outcome.GetType().Name,
    };
}

/// <summary>The invitation was accepted by Graph (or an earlier attempt's guest was found).</summary>
public sealed record Invited(string UserId, string? RedeemUrl) : GraphOutcome;

/// <summary>A group membership or app assignment exists now (including "it already did").</summary>
public sealed record Completed : GraphOutcome;

/// <summary>The directory look-up found the guest.</summary>
public sealed record GuestFound(string UserId) : GraphOutcome;

public sealed record GuestNotFound : GraphOutcome;

/// <summary>
/// The address belongs to a member of the organization (and to no guest): inviting it would make a second account
/// for the same person, and adopting the member would hand it the row's groups and apps.
/// </summary>
public sealed record MemberFound(string UserId) : GraphOutcome;

/// <summary>
/// A group add or app assignment got 404 for the guest although the group or app exists: a new guest takes a while to
/// replicate through the directory, so the assignment is tried again later.
/// </summary>
public sealed record NotYetVisible(string Reason) : GraphOutcome
{
    /// <summary>Which guest Graph could not see, when a request named several and Graph's message says which.</summary>
    public string? UserId { get; init; }
}

/// <summary>
/// A request adding several members was refused because one of them already belonged; Graph does not say which, and
/// added none of them.
/// </summary>
public sealed record SomeAlreadyMembers : GraphOutcome;

/// <summary>No identity-write slot within the wait a row may spend on one (or the tenant paused): the row goes back until <see cref="Until"/>.</summary>
public sealed record WriteDeferred(DateTime? Until) : GraphOutcome;

/// <summary>Graph refused for a reason that retrying will not change; <see cref="Message"/> is Graph's own text.</summary>
public sealed record PermanentFailure(string Message) : GraphOutcome;

/// <summary>429: nobody may call again before Retry-After (null when Graph gave none).</summary>
public sealed record Throttled(TimeSpan? RetryAfter) : GraphOutcome;

/// <summary>5xx, timeout or connection failure: worth another attempt later.</summary>
public sealed record Transient(string Reason) : GraphOutcome;

/// <summary>A mail may or may not have reached the transport (timeout, dropped connection); never sent again by itself.</summary>
public sealed record MailUncertain(string Reason) : GraphOutcome;

/// <summary>403 abuse block or a refusal of the sender itself: the tenant must stop inviting until an admin resumes.</summary>
public sealed record TenantBlocked(string Message) : GraphOutcome;
