namespace B2BPortal.Web.Invitations.Csv;

/// <summary>Limits for one uploaded file. The 2016 service stopped at 2,000 rows; the portal's limit is its own.</summary>
public sealed record InvitationFileOptions(int MaxRows = 50_000)
{
    public static InvitationFileOptions Default { get; } = new();
}
