namespace B2BPortal.Web.Data;

/// <summary>
/// An invitation row's status; the names are a public surface (API, results.csv, the pages) and are stored as names
/// (renaming one is a migration), the order is the order pages list them in. Changes go through
/// <see cref="InvitationLifecycle"/>.
/// </summary>
public enum InvitationStatus
{
    /// <summary>The row has errors; it is never sent.</summary>
    Invalid,

    /// <summary>Valid, waiting for an admin to send its batch after review.</summary>
    Held,

    /// <summary>Waiting in the queue (possibly until a backoff or Retry-After has passed).</summary>
    Queued,

    /// <summary>Claimed by a worker, which holds its lease.</summary>
    Sending,

    /// <summary>Sent; waiting for the guest to accept.</summary>
    Invited,

    Accepted,

    Failed,

    Cancelled,
}
