namespace B2BPortal.Web.Invitations.Csv;

/// <summary>Limits for one uploaded file. The 2016 service stopped at 2,000 rows; the portal's limit is its own.</summary>
/// <param name="ContactUsOptional">The 2016 format's InviteContactUsUrl column may be left out (an access request: the link is
/// the approver's to give, not the requester's).</param>
public sealed record InvitationFileOptions(int MaxRows = 50_000, bool ContactUsOptional = false)
{
    public static InvitationFileOptions Default { get; } = new();
}
