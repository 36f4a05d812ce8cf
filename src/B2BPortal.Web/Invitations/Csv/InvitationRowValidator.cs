using FluentValidation;
using FluentValidation.Results;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// The rules for one row. Every failure's <see cref="ValidationFailure.PropertyName"/> is the column the admin
/// knows (Email, inviteeEmail …) and its message names the row, the column, the value when it is safe to show,
/// and the fix. <see cref="Check"/> returns them as <see cref="RowError"/>s.
/// </summary>
public sealed class InvitationRowValidator : AbstractValidator<InvitationRow>
{
    /// <summary>Longest display name Entra stores.</summary>
    public const int MaxDisplayNameLength = 256;

    /// <summary>Longest customized invitation message the portal accepts (plain text in the invitation email).</summary>
    public const int MaxCustomMessageLength = 2_000;

    private const string GuidExample = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";
    private const string UrlExample = "https://myapplications.microsoft.com";

    // A NUL or other control character can't be shown, stored (PostgreSQL refuses NUL) or sent to Graph.
    private const string InvisibleCharacter = "contains an invisible control character (often pasted along with the text) — retype the value";

    // U+202A–U+202E and U+2066–U+2069 reorder what follows them: "Invoice \u202Efdp.exe" shows as "Invoice exe.pdf".
    private const string DirectionOverride =
        "contains an invisible right-to-left or left-to-right override, which makes the text show differently from " +
        "what it is (a known way to disguise names) — retype the value without it";

    // Zero-width spaces, direction marks and the like: the address looks right but is not the one that would be invited.
    private const string InvisibleFormatting =
        "contains an invisible formatting character (such as a zero-width space or a right-to-left mark, often pasted " +
        "along with the text), so it is not the address it looks like — retype the address";

    // Validators are immutable once built and safe to share between requests.
    private static readonly InvitationRowValidator[] _shared =
    [
        new(CsvFormat.Legacy, RowRules.File),
        new(CsvFormat.Legacy, RowRules.SingleInvitation),
        new(CsvFormat.Entra, RowRules.File),
        new(CsvFormat.Entra, RowRules.SingleInvitation),
    ];

    private readonly CsvFormat _format;
    private readonly RowRules _rules;
    private readonly RedirectUrlPolicy? _redirects;
    private readonly DomainPolicy? _domains;
    private readonly AssignableList? _assignable;

    /// <param name="redirects">The deployment's redirect-URL policy (https only, allowed hosts); null checks the form only.</param>
    /// <param name="domains">The deployment's partner-domain policy (blocked, allowed, consumer); null allows any domain.</param>
    /// <param name="assignable">
    /// The groups and applications rows may name (Settings → Assignable groups and applications); null checks the IDs'
    /// form only. Uploads always pass the list (<see cref="InvitationRows"/>).
    /// </param>
    public InvitationRowValidator(
        CsvFormat format, RowRules rules = RowRules.File, RedirectUrlPolicy? redirects = null, DomainPolicy? domains = null,
        AssignableList? assignable = null)
    {
        _format = format;
        _rules = rules;
        _redirects = redirects;
        _domains = domains;
        _assignable = assignable;

        RuleFor(r => r.Email).Custom((value, context) => CheckEmail(value, context));

        if (format == CsvFormat.Legacy)
        {
            RuleFor(r => r.DisplayName).Custom((value, context) => CheckDisplayName(value, context));
            RuleFor(r => r.ContactUsUrl).Custom((value, context) => CheckUrl(
                value, InvitationField.ContactUsUrl, required: rules == RowRules.File,
                "the 2016 format requires a \"Contact us\" web address for the invitation, like https://partner.contoso.com/contact",
                context));
            RuleFor(r => r.RedirectUrl).Custom((value, context) => CheckUrl(
                value, InvitationField.RedirectUrl, required: false, "", context));
            RuleFor(r => r.BrandingAppId).Custom((value, context) => CheckBrandingAppId(value, context));
            RuleFor(r => r.AppIds).Custom((value, context) => CheckIds(
                value, InvitationField.AppIds, AssignableKind.Application, "application (client) ID",
                "App registrations › Application (client) ID", context));
            RuleFor(r => r.GroupIds).Custom((value, context) => CheckIds(
                value, InvitationField.GroupIds, AssignableKind.Group, "group object ID", "Groups › Object ID", context));
            RuleFor(r => r.Language).Custom((value, context) => CheckLanguage(value, context));
            if (rules == RowRules.SingleInvitation)
            {
                // The form and the API take a message for one guest even though the 2016 columns have none.
                RuleFor(r => r.CustomMessage).Custom((value, context) => CheckCustomMessage(value, context));
            }
        }
        else
        {
            RuleFor(r => r.RedirectUrl).Custom((value, context) => CheckUrl(
                value, InvitationField.RedirectUrl, required: true,
                $"enter where the guest lands after accepting the invitation, like {UrlExample}",
                context));
            RuleFor(r => r.SendEmail).Custom((value, context) => CheckSendEmail(value, context));
            RuleFor(r => r.CustomMessage).Custom((value, context) => CheckCustomMessage(value, context));
        }
    }

    /// <summary>A shared validator for a format and set of rules (no need to build one per request).</summary>
    public static InvitationRowValidator For(CsvFormat format, RowRules rules = RowRules.File) =>
        _shared[((int)format * 2) + (int)rules];

    /// <summary>A validator that also applies the deployment's redirect-URL and partner-domain policies and the assignable list.</summary>
    public static InvitationRowValidator For(
        CsvFormat format, RowRules rules, RedirectUrlPolicy redirects, DomainPolicy? domains = null, AssignableList? assignable = null) =>
        new(format, rules, redirects, domains, assignable);

    /// <summary>The row's problems as the admin reads them; empty when the row is valid.</summary>
    public IReadOnlyList<RowError> Check(InvitationRow row) => ToRowErrors(Validate(row));

    public static IReadOnlyList<RowError> ToRowErrors(FluentValidation.Results.ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Errors.Select(e => new RowError(e.PropertyName, e.ErrorMessage))];
    }

    /// <summary>"Row 7, Email: " (files) or "Email: " (single invitation).</summary>
    internal static string Prefix(RowRules rules, int rowNumber, string column) =>
        rules == RowRules.File ? $"Row {rowNumber}, {column}: " : $"{column}: ";

    /// <summary>The embedding, override and isolate characters of the Unicode bidirectional algorithm.</summary>
    internal static bool IsDirectionOverride(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>A value quoted for a message, cut short so one bad cell cannot flood the page.</summary>
    internal static string Quote(string value)
    {
        const int max = 80;
        var shown = value.Length > max ? value[..max] + "…" : value;
        shown = new string([.. shown.Select(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? ' ' : c)]);
        return $"'{shown}'";
    }

    private void Fail(ValidationContext<InvitationRow> context, InvitationField field, string text, string? value)
    {
        var column = InvitationColumns.NameOf(_format, field);
        var message = Prefix(_rules, context.InstanceToValidate.RowNumber, column) + text + ".";
        context.AddFailure(new ValidationFailure(column, message, value));
    }

    private void CheckEmail(string? value, ValidationContext<InvitationRow> context)
    {
        if (value is null)
        {
            Fail(context, InvitationField.Email, "the cell is empty — enter the guest's email address, like name@partner.com", value);
            return;
        }

        if (value.Any(char.IsControl))
        {
            Fail(context, InvitationField.Email, $"{Quote(value)} {InvisibleCharacter}", value);
            return;
        }

        if (value.Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            Fail(context, InvitationField.Email, $"{Quote(value)} {InvisibleFormatting}", value);
            return;
        }

        if (GuestEmail.FindProblem(value) is { } problem)
        {
            Fail(context, InvitationField.Email, $"{Quote(value)} {problem}", value);
        }
        else if (_domains?.Problem(value) is { } refused)
        {
            Fail(context, InvitationField.Email, $"{Quote(value)} {refused}", value);
        }
    }

    private void CheckDisplayName(string? value, ValidationContext<InvitationRow> context)
    {
        if (value is null)
        {
            Fail(context, InvitationField.DisplayName,
                "the cell is empty — enter the guest's name as your directory should show it, such as first and last name",
                value);
        }
        else if (value.Any(char.IsControl))
        {
            Fail(context, InvitationField.DisplayName, $"{Quote(value)} {InvisibleCharacter}", value);
        }
        else if (value.Any(IsDirectionOverride))
        {
            Fail(context, InvitationField.DisplayName, $"{Quote(value)} {DirectionOverride}", value);
        }
        else if (value.Length > MaxDisplayNameLength)
        {
            Fail(context, InvitationField.DisplayName,
                $"the name is {value.Length} characters long, more than the {MaxDisplayNameLength} Entra allows — shorten it",
                value);
        }
    }

    private void CheckUrl(
        string? value, InvitationField field, bool required, string whenMissing, ValidationContext<InvitationRow> context)
    {
        if (value is null)
        {
            if (required)
            {
                Fail(context, field, $"the cell is empty — {whenMissing}", value);
            }

            return;
        }

        if (!IsWebAddress(value))
        {
            Fail(context, field,
                $"{Quote(value)} is not a full web address — it must start with https:// or http://, like {UrlExample}",
                value);
        }
        else if (field == InvitationField.RedirectUrl && _redirects?.Problem(value, mayBeEmpty: !required) is { } problem)
        {
            Fail(context, field, $"{Quote(value)} {problem}", value);
        }
    }

    internal static bool IsWebAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        uri.Host.Length > 0 &&
        !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private void CheckBrandingAppId(string? value, ValidationContext<InvitationRow> context)
    {
        if (value is not null && !Guid.TryParse(value, out _))
        {
            Fail(context, InvitationField.BrandingAppId,
                $"{Quote(value)} is not an application ID — it must be one GUID like {GuidExample} " +
                "(App registrations › Application (client) ID in the Entra admin center), or leave the cell empty",
                value);
        }
    }

    private void CheckIds(
        string? value, InvitationField field, AssignableKind kind, string what, string where, ValidationContext<InvitationRow> context)
    {
        if (value is null)
        {
            return;
        }

        var ids = InvitationRowNormalizer.SplitIds(value);
        var bad = ids.Where(t => !Guid.TryParse(t, out _)).ToList();
        if (bad.Count == 0)
        {
            // The row stores its IDs as a list: bounded here, where the admin can still be told, not cut when stored.
            // Only a cell with more IDs than the limit can have too many different ones, so most rows count nothing.
            var count = ids.Count <= IdList.MaxCount ? ids.Count : ids.Select(t => Guid.Parse(t, CultureInfo.InvariantCulture)).Distinct().Count();
            if (count > IdList.MaxCount)
            {
                Fail(context, field,
                    $"the cell names {count} {what}s, more than the {IdList.MaxCount} one row may name — " +
                    "remove some, or add the guest to the others after the invitation",
                    value);
                return;
            }

            CheckAssignable(ids, field, kind, value, context);
            return;
        }

        var shown = string.Join(", ", bad.Take(3).Select(Quote)) + (bad.Count > 3 ? $" and {bad.Count - 3} more" : "");
        var verb = bad.Count == 1 ? $"is not a valid {what}" : $"are not valid {what}s";
        Fail(context, field,
            $"{shown} {verb} — each must be a GUID like {GuidExample} ({where} in the Entra admin center); " +
            "separate several with spaces",
            value);
    }

    /// <summary>
    /// Least privilege (issue 11): the portal's Graph permissions reach every group and app of the tenant, so a row may
    /// only name those a Global Administrator put on the assignable list. An ID that does not exist in the tenant cannot
    /// be on it, so it is Invalid here rather than Failed at send.
    /// </summary>
    private void CheckAssignable(IReadOnlyList<string> ids, InvitationField field, AssignableKind kind, string value, ValidationContext<InvitationRow> context)
    {
        if (_assignable is null)
        {
            return;
        }

        var refused = ids.Select(AssignableList.Key).Distinct(StringComparer.Ordinal).Where(id => !_assignable.Allows(kind, id)).ToList();
        if (refused.Count == 0)
        {
            return;
        }

        var noun = kind == AssignableKind.Group ? "group" : "application";
        var shown = string.Join(", ", refused.Take(3).Select(Quote)) + (refused.Count > 3 ? $" and {refused.Count - 3} more" : "");
        var subject = refused.Count == 1 ? $"{noun} {shown} is" : $"{noun}s {shown} are";
        Fail(context, field,
            $"{subject} not on this portal's list of assignable groups and applications (or not in the tenant), so guests " +
            $"may not be added to {(refused.Count == 1 ? "it" : "them")} — ask a Global Administrator to add " +
            $"{(refused.Count == 1 ? "it" : "them")} under {AssignableTargets.SettingsPath}, or remove {(refused.Count == 1 ? "it" : "them")} from the row",
            value);
    }

    private void CheckLanguage(string? value, ValidationContext<InvitationRow> context)
    {
        if (value is not null && !InvitationLanguages.TryGetCanonical(value, out _))
        {
            Fail(context, InvitationField.Language,
                $"{Quote(value)} is not a supported language — use one of {string.Join(", ", InvitationLanguages.All)}, " +
                "or leave the cell empty for English",
                value);
        }
    }

    private void CheckSendEmail(string? value, ValidationContext<InvitationRow> context)
    {
        if (value is not null && InvitationRowNormalizer.ParseSendEmail(value) is null)
        {
            Fail(context, InvitationField.SendEmail,
                $"{Quote(value)} is not true or false — write true to email the invitation or false to add the " +
                "guest without an email (an empty cell means true)",
                value);
        }
    }

    private void CheckCustomMessage(string? value, ValidationContext<InvitationRow> context)
    {
        if (value is not null && value.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            Fail(context, InvitationField.CustomMessage, InvisibleCharacter.Replace("the value", "the message", StringComparison.Ordinal), null);
            return;
        }

        if (value is not null && value.Length > MaxCustomMessageLength)
        {
            var length = value.Length.ToString("N0", CultureInfo.InvariantCulture);
            var max = MaxCustomMessageLength.ToString("N0", CultureInfo.InvariantCulture);
            Fail(context, InvitationField.CustomMessage,
                $"the message is {length} characters long, more than the {max} allowed — shorten it",
                null);
        }
    }
}
