using System.Text.RegularExpressions;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// The column names admins know, per format: the 2016 labels and the Entra template's bracketed property names.
/// Errors and rejections name columns with these, so the admin can find them in the file.
/// </summary>
public static partial class InvitationColumns
{
    public const string Email = "Email";
    public const string DisplayName = "DisplayName";
    public const string InviteContactUsUrl = "InviteContactUsUrl";
    public const string InviteAppId = "InviteAppID";
    public const string InviteAppResources = "InviteAppResources";
    public const string InviteGroupResources = "InviteGroupResources";
    public const string InviteReplyUrl = "InviteReplyURL";
    public const string Language = "Language";

    public const string InviteeEmail = "inviteeEmail";
    public const string InviteRedirectUrl = "inviteRedirectURL";
    public const string SendEmail = "sendEmail";
    public const string CustomizedMessageBody = "customizedMessageBody";

    private static readonly Column[] _legacy =
    [
        new(Email, InvitationField.Email, Required: true),
        new(DisplayName, InvitationField.DisplayName, Required: true),
        new(InviteContactUsUrl, InvitationField.ContactUsUrl, Required: true),
        new(InviteAppId, InvitationField.BrandingAppId, Required: false),
        new(InviteAppResources, InvitationField.AppIds, Required: false),
        new(InviteGroupResources, InvitationField.GroupIds, Required: false),
        new(InviteReplyUrl, InvitationField.RedirectUrl, Required: false),
        new(Language, InvitationField.Language, Required: false),
    ];

    private static readonly Column[] _entra =
    [
        new(InviteeEmail, InvitationField.Email, Required: true),
        new(InviteRedirectUrl, InvitationField.RedirectUrl, Required: true),
        new(SendEmail, InvitationField.SendEmail, Required: false),
        new(CustomizedMessageBody, InvitationField.CustomMessage, Required: false),
    ];

    /// <summary>The canonical column names of a format, required ones first.</summary>
    public static IReadOnlyList<string> All(CsvFormat format) => [.. Of(format).Select(c => c.Name)];

    /// <summary>The columns a file of this format must have.</summary>
    public static IReadOnlyList<string> Required(CsvFormat format) =>
        [.. Of(format).Where(c => c.Required).Select(c => c.Name)];

    /// <summary>The column an admin of this format knows for a cell (e.g. Email vs inviteeEmail).</summary>
    internal static string NameOf(CsvFormat format, InvitationField field) =>
        Of(format).FirstOrDefault(c => c.Field == field)?.Name ?? field.ToString();

    /// <summary>"Email, DisplayName and InviteContactUsUrl (required); InviteAppID, … (optional)".</summary>
    internal static string Describe(CsvFormat format)
    {
        var columns = Of(format);
        string Show(Column c) => format == CsvFormat.Entra ? $"[{c.Name}]" : c.Name;
        var required = columns.Where(c => c.Required).Select(Show).ToList();
        var optional = columns.Where(c => !c.Required).Select(Show).ToList();
        var optionalText = format == CsvFormat.Legacy
            ? string.Join(", ", optional) + " (or InviteLanguage)"
            : string.Join(", ", optional);
        return $"{JoinAnd(required)} (required) and {optionalText} (optional)";
    }

    internal static string JoinAnd(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    internal static IReadOnlyList<Column> Of(CsvFormat format) => format == CsvFormat.Entra ? _entra : _legacy;

    /// <summary>The 2016 label a header cell names, ignoring case, spaces, '_', '-' and invisible formatting characters.</summary>
    internal static Column? MatchLegacy(string header)
    {
        var key = Key(header);
        if (key == "invitelanguage")
        {
            key = "language";
        }

        return Array.Find(_legacy, c => Key(c.Name) == key);
    }

    /// <summary>
    /// The Entra property a header cell names: "Email address to invite [inviteeEmail] Required" (labels may be
    /// localized, the bracketed name is not) or the bare property name.
    /// </summary>
    internal static Column? MatchEntra(string header)
    {
        var bracketed = BracketedName().Match(header);
        var key = bracketed.Success ? Key(bracketed.Groups[1].Value) : Key(header);
        return Array.Find(_entra, c => Key(c.Name) == key);
    }

    private static string Key(string text)
    {
        Span<char> buffer = stackalloc char[Math.Min(text.Length, 256)];
        var length = 0;
        foreach (var ch in text.AsSpan(0, Math.Min(text.Length, 256)))
        {
            // A second byte order mark or a zero-width space pasted into a header cell is invisible in Excel: the
            // admin sees "Email", so the portal reads "Email".
            if (!char.IsWhiteSpace(ch) && ch != '_' && ch != '-' && CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.Format)
            {
                buffer[length++] = char.ToLowerInvariant(ch);
            }
        }

        return new string(buffer[..length]);
    }

    [GeneratedRegex(@"\[\s*([A-Za-z]+)\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketedName();

    internal sealed record Column(string Name, InvitationField Field, bool Required);
}
