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
    string? CustomMessage)
{
    /// <summary>The IDs of <see cref="AppIds"/> as written, split; none for an empty cell. What the ID rules look at.</summary>
    // A property (not a method call in the rule) so FluentValidation reads it through its cached accessor: a rule on a
    // method call compiles its expression for each validator built, milliseconds for every upload and single invitation.
    internal IReadOnlyList<string> AppIdTokens => AppIds is null ? [] : IdList.Split(AppIds);

    /// <summary>The IDs of <see cref="GroupIds"/> as written, split; none for an empty cell.</summary>
    internal IReadOnlyList<string> GroupIdTokens => GroupIds is null ? [] : IdList.Split(GroupIds);
}
