namespace B2BPortal.Web.Invitations.Csv;

/// <summary>The cells of <see cref="InvitationRow"/> a file column can map to.</summary>
internal enum InvitationField
{
    Email,
    DisplayName,
    ContactUsUrl,
    BrandingAppId,
    AppIds,
    GroupIds,
    RedirectUrl,
    Language,
    SendEmail,
    CustomMessage,
}
