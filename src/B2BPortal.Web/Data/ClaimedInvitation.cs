namespace B2BPortal.Web.Data;

/// <summary>
/// A row a worker has claimed: the row as it was read at the claim and the lease token every later write must name.
/// Only <c>InvitationQueue</c> makes one, so a claimed row without a token cannot exist.
/// </summary>
public sealed class ClaimedInvitation
{
    internal ClaimedInvitation(Invitation row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Row = row;
        Lease = row.LeaseToken ?? throw new ArgumentException($"Invitation {row.Id} was read without its lease token.", nameof(row));
    }

    public Invitation Row { get; }

    public Guid Lease { get; }

    public long Id => Row.Id;
}
