namespace B2BPortal.Web.Data;

/// <summary>
/// How many rows of one batch are in one status, kept exact by the database itself: triggers on Invitations move the
/// counts in the same transaction as every insert, status change and delete (migration BatchStatusCounts), so any
/// reader sees counts that match the rows of its own snapshot. Pages and the API read these few rows instead of
/// counting a 50,000-row batch on every view; nothing in the application writes them.
/// </summary>
public sealed class BatchStatusCount
{
    public Guid BatchId { get; set; }

    public InvitationStatus Status { get; set; }

    public int Count { get; set; }
}
