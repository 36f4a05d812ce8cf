namespace B2BPortal.Web.Invitations.Csv;

/// <summary>A row's values as stored and sent: see <see cref="InvitationRowNormalizer.Normalize"/>.</summary>
public sealed record NormalizedInvitation(
    string Email,
    string NormalizedEmail,
    string? DisplayName,
    string? RedirectUrl,
    string? ContactUsUrl,
    string? BrandingAppId,
    List<string>? AppIds,
    List<string>? GroupIds,
    string? Language,
    bool SendEmail,
    string? CustomMessage);

/// <summary>Turns a row's cell text into the values the portal stores and sends to Graph.</summary>
public static class InvitationRowNormalizer
{
    /// <summary>
    /// Normalizes a row: email trimmed (and lower-cased as <see cref="NormalizedInvitation.NormalizedEmail"/>),
    /// GUID lists lower-case and de-duplicated, language in canonical case, sendEmail as a
    /// bool (true when empty). Meant for valid rows; for an invalid row the values that cannot be normalized are
    /// passed through as written, so they can be shown.
    /// </summary>
    public static NormalizedInvitation Normalize(InvitationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var email = row.Email?.Trim() ?? "";
        return new NormalizedInvitation(
            Email: email,
            NormalizedEmail: GuestEmail.Normalize(email),
            DisplayName: row.DisplayName,
            RedirectUrl: row.RedirectUrl,
            ContactUsUrl: row.ContactUsUrl,
            BrandingAppId: row.BrandingAppId is { } app && Guid.TryParse(app, out var appId)
                ? appId.ToString("D")
                : row.BrandingAppId,
            AppIds: NormalizeIds(row.AppIds),
            GroupIds: NormalizeIds(row.GroupIds),
            Language: row.Language is { } language && InvitationLanguages.TryGetCanonical(language, out var canonical)
                ? canonical
                : row.Language,
            SendEmail: row.SendEmail is null || (ParseSendEmail(row.SendEmail) ?? true),
            CustomMessage: row.CustomMessage);
    }

    /// <summary>The IDs of a multi-value cell: the 2016 format separates them with spaces, people also use ; and ,.</summary>
    public static IReadOnlyList<string> SplitIds(string value) => IdList.Split(value);

    /// <summary>GUIDs lower-case in the D format, each once, as the list a row stores; null for an empty cell.</summary>
    public static List<string>? NormalizeIds(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var ids = SplitIds(value)
            .Select(t => Guid.TryParse(t, out var id) ? id.ToString("D") : t)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return ids.Count == 0 ? null : ids;
    }

    /// <summary>true/false, yes/no, 1/0 without case; null when it is none of them.</summary>
    public static bool? ParseSendEmail(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToUpperInvariant() switch
        {
            "" or "TRUE" or "YES" or "1" => true,
            "FALSE" or "NO" or "0" => false,
            _ => null,
        };
    }
}
