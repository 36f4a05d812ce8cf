namespace B2BPortal.Web.Data;

/// <summary>
/// An invitation row's status; the names are a public surface (API, results.csv, the pages) and are stored as names,
/// so the numbers only order them for display. Changes go through <see cref="InvitationLifecycle"/>.
/// </summary>
public enum InvitationStatus
{
    /// <summary>The row has errors; it is never sent.</summary>
    Invalid = 0,

    /// <summary>Valid, waiting for an admin to send its batch after review.</summary>
    Held = 1,

    /// <summary>Waiting in the queue (possibly until a backoff or Retry-After has passed).</summary>
    Queued = 2,

    /// <summary>Claimed by a worker, which holds its lease.</summary>
    Sending = 3,

    /// <summary>Sent; waiting for the guest to accept.</summary>
    Invited = 4,

    Accepted = 5,

    Failed = 6,

    Cancelled = 7,
}
