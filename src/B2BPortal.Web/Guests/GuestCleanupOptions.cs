namespace B2BPortal.Web.Guests;

/// <summary>
/// Guest clean-up rules (section <c>Portal:Cleanup</c>). Every rule is off (null) by default, and nothing runs on a
/// schedule unless <see cref="Scheduled"/> is set: removing guests is a decision an admin makes, after a dry run.
/// </summary>
public sealed class GuestCleanupOptions
{
    public const string SectionName = "Portal:Cleanup";

    /// <summary>An invitation not accepted this many days after it was sent is sent once more (through the queue, paced).</summary>
    [Positive("Portal:Cleanup:ReinviteAfterDays")] public int? ReinviteAfterDays { get; set; }

    /// <summary>
    /// A guest who has not accepted this many days after the (last) invitation is removed. With
    /// <see cref="ReinviteAfterDays"/> on, only after the re-invitation, counted from it.
    /// </summary>
    [Positive("Portal:Cleanup:RemoveUnacceptedAfterDays")] public int? RemoveUnacceptedAfterDays { get; set; }

    /// <summary>
    /// An accepted guest without a sign-in for this many days is removed; counted from the last sign-in the tenant
    /// reports (signInActivity), the acceptance or a restore, whichever is latest. Needs signInActivity: where the tenant
    /// does not report it, nobody is removed by this rule.
    /// </summary>
    [Positive("Portal:Cleanup:RemoveInactiveAfterDays")] public int? RemoveInactiveAfterDays { get; set; }

    /// <summary>
    /// Before removing an inactive guest who has a sponsor (an approved access request), ask the sponsor first: by email
    /// and on their "My access requests" page, where they may keep the guest. The guest is removed this many days after
    /// the question unless kept. Null (the default): inactive guests are removed without asking.
    /// </summary>
    [Positive("Portal:Cleanup:AskSponsorDays")] public int? AskSponsorDays { get; set; }

    /// <summary>Whether the worker role runs clean-up by itself every <see cref="Interval"/>; off by default.</summary>
    public bool Scheduled { get; set; }

    /// <summary>How often a scheduled run happens (default one day).</summary>
    [Positive("Portal:Cleanup:Interval")] public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>At most this many actions (re-invitations and removals) per run; the next run continues.</summary>
    [Positive("Portal:Cleanup:MaxActionsPerRun")] public int MaxActionsPerRun { get; set; } = 1000;

    public bool AnyRule => ReinviteAfterDays is not null || RemoveUnacceptedAfterDays is not null || RemoveInactiveAfterDays is not null;
}
