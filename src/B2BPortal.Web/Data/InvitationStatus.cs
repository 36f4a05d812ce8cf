namespace B2BPortal.Web.Data;

/// <summary>The invitation statuses listed in the README; their names are a public surface (API, results.csv).</summary>
public enum InvitationStatus
{
    Invalid = 0,
    Queued = 1,
    Sending = 2,
    Invited = 3,
    Accepted = 4,
    Failed = 5,
    Cancelled = 6,
}
