namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// One data row as written in the file: trimmed cell text, null when the column is absent or the cell empty.
/// <paramref name="RowNumber"/> is the row the admin sees in a spreadsheet (the version line and header count,
/// a quoted cell spanning several lines is one row).
/// </summary>
public sealed record InvitationRow(
    int RowNumber,
    string? Email,
    string? DisplayName,
    string? ContactUsUrl,
    string? BrandingAppId,
    string? AppIds,
    string? GroupIds,
    string? RedirectUrl,
    string? Language,
    string? SendEmail,
    string? CustomMessage);
