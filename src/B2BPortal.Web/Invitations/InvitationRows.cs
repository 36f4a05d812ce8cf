namespace B2BPortal.Web.Invitations;

/// <summary>
/// Rows, from a file or given field by field, as the portal stores them: checked by the row rules, the domain policy and
/// the assignable list as they are now, a repeated address flagged, cells cut to their columns, and an address invited
/// in an earlier batch flagged. Every way of making a batch (an upload, a single invitation, an approved access request)
/// and every check of a row before one exists goes through here, so all give the same sentences.
/// </summary>
public sealed class InvitationRows(PortalDbContext db, PolicySource policies, TimeProvider time)
{
    /// <summary>The row checks for <paramref name="format"/> under <paramref name="rules"/>, with the policy and assignable list in force.</summary>
    public async Task<InvitationRowValidator> ValidatorAsync(CsvFormat format, RowRules rules, CancellationToken ct)
    {
        var policy = await policies.ForUploadAsync(ct);
        return InvitationRowValidator.For(format, rules, policy.Redirects, policy.Domains, await AssignableList.LoadAsync(db, ct));
    }

    /// <summary>
    /// The checks of a single invitation without storing anything (an access request when it is made, a pre-approved
    /// domain when it is added): the same sentences an upload gives.
    /// </summary>
    public async Task<IReadOnlyList<RowError>> CheckAsync(InvitationRow row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        var invitations = await ListedAsync([row], Guid.Empty, time.GetUtcNow().UtcDateTime, ct);
        return invitations[0].Errors;
    }

    /// <summary>
    /// Rows given field by field (the form, the API, an access request's partners) validated like CSV rows — one row under
    /// the single-invitation rules, more under a file's — then flagged when an address was invited before.
    /// </summary>
    /// <param name="rules">The rules rows are held to; by default the single invitation's for one row, a file's for more.</param>
    public async Task<List<Invitation>> ListedAsync(IReadOnlyList<InvitationRow> rows, Guid batchId, DateTime now, CancellationToken ct, RowRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        rules ??= rows.Count == 1 ? RowRules.SingleInvitation : RowRules.File;
        var invitations = Validate(
            rows,
            await ValidatorAsync(CsvFormat.Legacy, rules.Value, ct),
            new DuplicateEmailTracker(CsvFormat.Legacy, rules.Value),
            InvitationColumns.Email,
            batchId,
            now,
            lookup: null);
        await FlagAlreadyInvitedAsync(
            invitations, await EarlierInvitationLookup.FindAsync(db, [.. invitations.Where(i => i.Status != InvitationStatus.Invalid).Select(i => i.NormalizedEmail)], ct), InvitationColumns.Email, ct);
        return invitations;
    }

    /// <summary>
    /// Each row checked, normalized and made storable, in order, as it is read; the valid rows' addresses go to
    /// <paramref name="lookup"/> (when given) so earlier batches are searched while the rest of a file is still read.
    /// </summary>
    public static List<Invitation> Validate(
        IEnumerable<InvitationRow> rows, InvitationRowValidator validator, DuplicateEmailTracker duplicates, string emailColumn, Guid batchId, DateTime now, EarlierInvitationLookup? lookup)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(duplicates);
        var invitations = new List<Invitation>();
        foreach (var row in rows)
        {
            var errors = validator.Check(row).ToList();
            var normal = InvitationRowNormalizer.Normalize(row);

            // Only a well-formed address can be somebody's duplicate; the first row keeps it.
            if (errors.TrueForAll(e => e.Column != emailColumn) && duplicates.Check(row.RowNumber, normal.NormalizedEmail) is { } duplicate)
            {
                errors.Add(duplicate);
            }

            var invitation = new Invitation
            {
                BatchId = batchId,
                RowNumber = row.RowNumber,
                Email = Storable(normal.Email, FieldLengths.Email)!,
                NormalizedEmail = Storable(normal.NormalizedEmail, FieldLengths.Email)!,
                DisplayName = Storable(normal.DisplayName, FieldLengths.DisplayName),
                RedirectUrl = Storable(normal.RedirectUrl, FieldLengths.Url),
                ContactUsUrl = Storable(normal.ContactUsUrl, FieldLengths.Url),
                BrandingAppId = Storable(normal.BrandingAppId, FieldLengths.Identifier),
                AppIds = Storable(normal.AppIds),
                GroupIds = Storable(normal.GroupIds),
                Language = Storable(normal.Language, FieldLengths.Language),
                CustomMessage = Storable(normal.CustomMessage, FieldLengths.CustomMessage),
                SendEmail = normal.SendEmail,
                Status = errors.Count == 0 ? InvitationStatus.Held : InvitationStatus.Invalid,
                ValidationErrors = errors.Count == 0 ? null : errors,
                CreatedAt = now,
                UpdatedAt = now,
            };
            invitations.Add(invitation);
            if (invitation.Status != InvitationStatus.Invalid)
            {
                lookup?.Add(invitation.NormalizedEmail);
            }
        }

        return invitations;
    }

    /// <summary>An address already invited or accepted in an earlier batch is flagged, so the admin re-sends there instead of duplicating.</summary>
    public async Task FlagAlreadyInvitedAsync(List<Invitation> invitations, IReadOnlyList<EarlierInvitation> earlier, string emailColumn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Count == 0)
        {
            return;
        }

        var batchIds = earlier.Select(e => e.BatchId).Distinct().ToList();
        var batches = await db.Batches.AsNoTracking().Where(b => batchIds.Contains(b.Id))
            .ToDictionaryAsync(b => b.Id, b => (b.FileName, b.UploadedAt), ct);
        var byEmail = earlier.GroupBy(e => e.NormalizedEmail)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(e => batches[e.BatchId].UploadedAt).First());
        foreach (var invitation in invitations.Where(i => i.Status != InvitationStatus.Invalid))
        {
            if (byEmail.TryGetValue(invitation.NormalizedEmail, out var found))
            {
                var (fileName, uploadedAt) = batches[found.BatchId];
                var error = new RowError(
                    emailColumn,
                    $"Row {invitation.RowNumber}, {emailColumn}: '{invitation.Email}' was already invited in batch '{fileName}' " +
                    $"(row {found.RowNumber}, uploaded {uploadedAt:yyyy-MM-dd}, now {found.Status}). " +
                    "To send the guest a new email use Re-send on that batch; remove this row here.");
                invitation.Status = InvitationStatus.Invalid;
                invitation.ValidationErrors = [error];
            }
        }
    }

    /// <summary>The column that holds the address in <paramref name="format"/>, as errors name it.</summary>
    public static string EmailColumn(CsvFormat format) => format == CsvFormat.Legacy ? InvitationColumns.Email : InvitationColumns.InviteeEmail;

    /// <summary>
    /// A cell as stored: cut to its column's length, and with any NUL replaced by U+FFFD. PostgreSQL refuses NUL in
    /// text, and only an invalid row can hold one (the validator names the row and column), so the admin sees where it was.
    /// </summary>
    private static string? Storable(string? value, int max) =>
        Truncate(value is not null && value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value, max);

    /// <summary>
    /// An ID list as stored: a valid row's is at most <see cref="IdList.MaxCount"/> GUIDs (validation refuses more), so only
    /// an invalid row's — shown, never sent — is bounded here, like a cell, by count and by each entry's length.
    /// </summary>
    private static List<string>? Storable(List<string>? ids) =>
        ids is null || (ids.Count <= IdList.MaxCount && ids.TrueForAll(id => id.Length <= FieldLengths.Identifier && !id.Contains('\0', StringComparison.Ordinal)))
            ? ids
            : [.. ids.Take(IdList.MaxCount).Select(id => Storable(id, FieldLengths.Identifier)!)];

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
