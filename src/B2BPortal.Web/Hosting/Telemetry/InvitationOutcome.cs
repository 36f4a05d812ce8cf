namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>What one dispatcher attempt did with a row: the <c>outcome</c> tag of <c>b2bportal.invitations</c>.</summary>
public enum InvitationOutcome
{
    /// <summary>Graph accepted the invitation.</summary>
    Invited,

    /// <summary>An earlier attempt had reached Graph; the guest it created was adopted instead of inviting again.</summary>
    Adopted,

    /// <summary>Graph refused for good, or the row ran out of attempts.</summary>
    Failed,

    /// <summary>A transient failure; the row is tried again after a backoff.</summary>
    Retried,

    /// <summary>Graph's Retry-After or a pacing wait longer than the lease allows put the row back in the queue.</summary>
    Throttled,

    /// <summary>Graph's abuse block paused the tenant; the row waits for an admin to resume.</summary>
    Paused,
}
