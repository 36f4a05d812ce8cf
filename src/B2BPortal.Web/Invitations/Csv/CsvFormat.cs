namespace B2BPortal.Web.Invitations.Csv;

/// <summary>The two invitation files admins bring; detected from the header, never asked for.</summary>
public enum CsvFormat
{
    /// <summary>The 2016 Azure AD B2B collaboration preview format (Email, DisplayName, InviteContactUsUrl …).</summary>
    Legacy,

    /// <summary>The Microsoft Entra admin center "Bulk invite" template ([inviteeEmail], [inviteRedirectURL] …).</summary>
    Entra,
}
