using System.Linq.Expressions;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Results;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// The rules for one row, a rule chain per column that stops at the cell's first problem. Every failure's
/// <see cref="ValidationFailure.PropertyName"/> is the column the admin knows (Email, inviteeEmail …) and its message
/// names the row, the column, the value when it is safe to show, and the fix. <see cref="Check"/> returns them as
/// <see cref="RowError"/>s.
/// </summary>
public sealed class InvitationRowValidator : AbstractValidator<InvitationRow>
{
    /// <summary>Longest display name Entra stores.</summary>
    public const int MaxDisplayNameLength = 256;

    /// <summary>Longest customized invitation message the portal accepts (plain text in the invitation email).</summary>
    public const int MaxCustomMessageLength = 2_000;

    private const string GuidExample = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";
    private const string UrlExample = "https://myapplications.microsoft.com";
    private const string NotAWebAddress = $"is not a full web address — it must start with https:// or http://, like {UrlExample}";

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

        // One error per column: the first problem of a cell is the one to fix, and the ones after it often follow from it.
        RuleLevelCascadeMode = CascadeMode.Stop;

        EmailRules(domains);
        if (format == CsvFormat.Legacy)
        {
            DisplayNameRules();
            ContactUsUrlRules(required: rules == RowRules.File);
            RedirectUrlRules(redirects, whenMissing: null);
            BrandingAppIdRules();
            IdRules(r => r.AppIdTokens, InvitationField.AppIds, AssignableKind.Application, "application (client) ID",
                "App registrations › Application (client) ID", assignable);
            IdRules(r => r.GroupIdTokens, InvitationField.GroupIds, AssignableKind.Group, "group object ID", "Groups › Object ID", assignable);
            LanguageRules();
            if (rules == RowRules.SingleInvitation)
            {
                // The form and the API take a message for one guest even though the 2016 columns have none.
                CustomMessageRules();
            }
        }
        else
        {
            RedirectUrlRules(redirects, whenMissing: $"enter where the guest lands after accepting the invitation, like {UrlExample}");
            SendEmailRules();
            CustomMessageRules();
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

    internal static bool IsWebAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        uri.Host.Length > 0 &&
        !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    // The cells below are read as string (the ! is for the compiler only): NotNull stops at an empty cell, and an optional
    // cell's When passes it by, so no rule after them sees null.
    private void EmailRules(DomainPolicy? domains)
    {
        var say = Say(InvitationField.Email);
        var email = Cell(r => r.Email!)
            .NotNull().WithMessage(say.Text("the cell is empty — enter the guest's email address, like name@partner.com"))
            .Must(v => !HasControlCharacter(v)).WithMessage(say.Quoting(InvisibleCharacter))
            .Must(v => !HasFormatCharacter(v)).WithMessage(say.Quoting(InvisibleFormatting))
            .Must(v => GuestEmail.FindProblem(v) is null).WithMessage(say.Quoting(v => GuestEmail.FindProblem(v)!))
            .OverridePropertyName(say.Column);
        if (domains is not null)
        {
            email.Must(v => domains.Problem(v) is null).WithMessage(say.Quoting(v => domains.Problem(v)!));
        }
    }

    private void DisplayNameRules()
    {
        var say = Say(InvitationField.DisplayName);
        Cell(r => r.DisplayName!)
            .NotNull().WithMessage(say.Text(
                "the cell is empty — enter the guest's name as your directory should show it, such as first and last name"))
            .Must(v => !HasControlCharacter(v)).WithMessage(say.Quoting(InvisibleCharacter))
            .Must(v => !HasDirectionOverride(v)).WithMessage(say.Quoting(DirectionOverride))
            .MaximumLength(MaxDisplayNameLength).WithMessage(say.Of((string v) =>
                $"the name is {v.Length} characters long, more than the {MaxDisplayNameLength} Entra allows — shorten it"))
            .OverridePropertyName(say.Column);
    }

    private void ContactUsUrlRules(bool required)
    {
        var say = Say(InvitationField.ContactUsUrl);
        Cell(r => r.ContactUsUrl!)
            .NotNull().WithMessage(say.Text(
                "the cell is empty — the 2016 format requires a \"Contact us\" web address for the invitation, like https://partner.contoso.com/contact"))
            .Must(IsWebAddress).WithMessage(say.Quoting(NotAWebAddress))
            .OverridePropertyName(say.Column)
            .When(r => required || r.ContactUsUrl is not null);
    }

    /// <param name="whenMissing">What to enter when the cell is required; null when it may be empty (the tenant's My Apps).</param>
    private void RedirectUrlRules(RedirectUrlPolicy? redirects, string? whenMissing)
    {
        var say = Say(InvitationField.RedirectUrl);
        var mayBeEmpty = whenMissing is null;
        Cell(r => r.RedirectUrl!)
            .NotNull().WithMessage(say.Text($"the cell is empty — {whenMissing}"))
            .Must(IsWebAddress).WithMessage(say.Quoting(NotAWebAddress))
            .Must(v => redirects?.Problem(v, mayBeEmpty) is null).WithMessage(say.Quoting(v => redirects!.Problem(v, mayBeEmpty)!))
            .OverridePropertyName(say.Column)
            .When(r => !mayBeEmpty || r.RedirectUrl is not null);
    }

    private void BrandingAppIdRules()
    {
        var say = Say(InvitationField.BrandingAppId);
        Cell(r => r.BrandingAppId!)
            .Must(IsGuid).WithMessage(say.Quoting(
                $"is not an application ID — it must be one GUID like {GuidExample} " +
                "(App registrations › Application (client) ID in the Entra admin center), or leave the cell empty"))
            .OverridePropertyName(say.Column)
            .When(r => r.BrandingAppId is not null);
    }

    /// <summary>
    /// GUIDs, no more than a stored list holds, and (least privilege, issue 11) only groups and apps a Global Administrator
    /// put on the assignable list: the portal's Graph permissions reach every group and app of the tenant. An ID that does
    /// not exist in the tenant cannot be on the list, so it is Invalid here rather than Failed at send.
    /// </summary>
    private void IdRules(
        Expression<Func<InvitationRow, IReadOnlyList<string>>> cell, InvitationField field, AssignableKind kind, string what, string where,
        AssignableList? assignable)
    {
        var say = Say(field);
        Func<string, bool> allowed = id => assignable is null || assignable.Allows(kind, id);
        Cell(cell)
            .Must(ids => ids.All(IsGuid)).WithMessage(say.Of((IReadOnlyList<string> ids) => NotGuids(ids, what, where)))

            // The row stores its IDs as a list: bounded here, where the admin can still be told, not cut when stored.
            .Must(ids => DistinctCount(ids) <= IdList.MaxCount).WithMessage(say.Of((IReadOnlyList<string> ids) =>
                $"the cell names {DistinctCount(ids)} {what}s, more than the {IdList.MaxCount} one row may name — " +
                "remove some, or add the guest to the others after the invitation"))
            .Must(ids => ids.All(allowed)).WithMessage(say.Of((IReadOnlyList<string> ids) => NotAssignable(ids, kind, assignable!)))
            .OverridePropertyName(say.Column);
    }

    private void LanguageRules()
    {
        var say = Say(InvitationField.Language);
        Cell(r => r.Language!)
            .Must(v => InvitationLanguages.TryGetCanonical(v, out _)).WithMessage(say.Quoting(
                $"is not a supported language — use one of {string.Join(", ", InvitationLanguages.All)}, or leave the cell empty for English"))
            .OverridePropertyName(say.Column)
            .When(r => r.Language is not null);
    }

    private void SendEmailRules()
    {
        var say = Say(InvitationField.SendEmail);
        Cell(r => r.SendEmail!)
            .Must(v => InvitationRowNormalizer.ParseSendEmail(v) is not null).WithMessage(say.Quoting(
                "is not true or false — write true to email the invitation or false to add the guest without an email " +
                "(an empty cell means true)"))
            .OverridePropertyName(say.Column)
            .When(r => r.SendEmail is not null);
    }

    private void CustomMessageRules()
    {
        var say = Say(InvitationField.CustomMessage);
        var max = MaxCustomMessageLength.ToString("N0", CultureInfo.InvariantCulture);

        // The message is not quoted back: it is long, and it is the admin's own text.
        Cell(r => r.CustomMessage!)
            .Must(v => !HasControlCharacterBesidesLineBreaks(v))
            .WithMessage(say.Text(InvisibleCharacter.Replace("the value", "the message", StringComparison.Ordinal)))
            .MaximumLength(MaxCustomMessageLength).WithMessage(say.Of((string v) =>
                $"the message is {v.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long, more than the {max} allowed — shorten it"))
            .OverridePropertyName(say.Column)
            .When(r => r.CustomMessage is not null);
    }

    /// <summary>A rule for one cell whose messages are final text (see <see cref="Verbatim"/>).</summary>
    private IRuleBuilderInitial<InvitationRow, TValue> Cell<TValue>(Expression<Func<InvitationRow, TValue>> cell) =>
        RuleFor(cell).Configure(rule => rule.MessageBuilder = Verbatim);

    /// <summary>
    /// FluentValidation reads a message as a template, so a cell holding "{PropertyValue}" would pull the raw cell into
    /// the message (uncut, invisible characters and all). Without placeholder values the text stays as written.
    /// </summary>
    private static string Verbatim<TValue>(IMessageBuilderContext<InvitationRow, TValue> context)
    {
        context.MessageFormatter.PlaceholderValues.Clear();
        return context.GetDefaultMessage();
    }

    private CellMessages Say(InvitationField field) => new(InvitationColumns.NameOf(_format, field), _rules);

    private static bool IsGuid(string value) => Guid.TryParse(value, out _);

    /// <summary>The number of different IDs; only a cell with more IDs than the limit can have too many, so most rows count nothing.</summary>
    private static int DistinctCount(IReadOnlyList<string> ids) =>
        ids.Count <= IdList.MaxCount ? ids.Count : ids.Select(t => Guid.Parse(t, CultureInfo.InvariantCulture)).Distinct().Count();

    private static string NotGuids(IReadOnlyList<string> ids, string what, string where)
    {
        var bad = ids.Where(t => !IsGuid(t)).ToList();
        var shown = string.Join(", ", bad.Take(3).Select(Quote)) + (bad.Count > 3 ? $" and {bad.Count - 3} more" : "");
        var verb = bad.Count == 1 ? $"is not a valid {what}" : $"are not valid {what}s";
        return $"{shown} {verb} — each must be a GUID like {GuidExample} ({where} in the Entra admin center); separate several with spaces";
    }

    private static string NotAssignable(IReadOnlyList<string> ids, AssignableKind kind, AssignableList assignable)
    {
        var refused = ids.Select(AssignableList.Key).Distinct(StringComparer.Ordinal).Where(id => !assignable.Allows(kind, id)).ToList();
        var noun = kind == AssignableKind.Group ? "group" : "application";
        var shown = string.Join(", ", refused.Take(3).Select(Quote)) + (refused.Count > 3 ? $" and {refused.Count - 3} more" : "");
        var subject = refused.Count == 1 ? $"{noun} {shown} is" : $"{noun}s {shown} are";
        var them = refused.Count == 1 ? "it" : "them";
        return $"{subject} not on this portal's list of assignable groups and applications (or not in the tenant), so guests " +
            $"may not be added to {them} — ask a Global Administrator to add {them} under {AssignableTargets.SettingsPath}, " +
            $"or remove {them} from the row";
    }

    /// <summary>What <see cref="char.IsControl(char)"/> says of any character: U+0000–U+001F and U+007F–U+009F.</summary>
    private static bool HasControlCharacter(string value) =>
        value.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || value.AsSpan().ContainsAnyInRange('\u007F', '\u009F');

    private static bool HasControlCharacterBesidesLineBreaks(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\r' or '\n' or '\t'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasFormatCharacter(string value)
    {
        foreach (var c in value)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDirectionOverride(string value)
    {
        foreach (var c in value)
        {
            if (IsDirectionOverride(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The messages about one column: "Row 7, Email: " ("Email: " for a single invitation), the text, a full stop.</summary>
    private sealed class CellMessages(string column, RowRules rules)
    {
        public string Column => column;

        public Func<InvitationRow, string, string> Text(string text) => (row, _) => Message(row, text);

        /// <summary>The value quoted, then <paramref name="clause"/>.</summary>
        public Func<InvitationRow, string, string> Quoting(string clause) => (row, value) => Message(row, $"{Quote(value)} {clause}");

        public Func<InvitationRow, string, string> Quoting(Func<string, string> clause) =>
            (row, value) => Message(row, $"{Quote(value)} {clause(value)}");

        public Func<InvitationRow, TValue, string> Of<TValue>(Func<TValue, string> text) => (row, value) => Message(row, text(value));

        private string Message(InvitationRow row, string text) => Prefix(rules, row.RowNumber, column) + text + ".";
    }
}
