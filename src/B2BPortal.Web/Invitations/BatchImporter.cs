using B2BPortal.Web.Delivery.Email;

namespace B2BPortal.Web.Invitations;

/// <summary>
/// Upload → stored: reads and validates an invitation list as it streams, then stores the batch and every row
/// (valid or not) in one transaction, so a failure leaves nothing half-stored. Shared by the Upload page and the API.
/// </summary>
public sealed class BatchImporter(
    PortalDbContext db,
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<UploadOptions> upload,
    GuestInvitePolicy invitePolicy,
    IOptions<InvitationEmailOptions> emailOptions,
    TimeProvider time,
    ILogger<BatchImporter> logger,
    PolicySource policies,
    PortalMetrics? metrics = null)
{
    /// <summary>Statuses that mean "this address already has (or is about to get) an invitation".</summary>
    internal static readonly InvitationStatus[] ActiveStatuses =
        [InvitationStatus.Held, InvitationStatus.Queued, InvitationStatus.Sending, InvitationStatus.Invited, InvitationStatus.Accepted];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Reads, validates and stores a file. Throws <see cref="InvitationFileRejectedException"/> for a file that is not an
    /// invitation list, and <see cref="SubmissionRefusedException"/> when it is to be sent at once but the tenant would
    /// refuse every row; nothing is stored then.
    /// </summary>
    public async Task<Batch> ImportAsync(
        Stream content, string fileName, string actor, bool submit, CancellationToken ct, InvitationEmail? email = null, BatchSender? sender = null)
    {
        if (submit && sender is null)
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        var started = time.GetTimestamp();
        using var hashing = new HashingReadStream(content);
        var batch = NewBatch(SafeFileName(fileName), BatchFormat.Legacy, actor, email, submit ? sender : null); // the format once the file is read
        var now = batch.UploadedAt;

        var assignable = await AssignableList.LoadAsync(db, ct);
        var policy = await policies.ForUploadAsync(ct);
        List<Invitation> invitations;
        IReadOnlyList<EarlierInvitation> earlier;
        await using (var lookup = new EarlierInvitationLookup(dbFactory, ct))
        {
            using (var file = InvitationFileReader.Open(hashing, new InvitationFileOptions(upload.Value.MaxRows)))
            {
                batch.Format = file.Format == CsvFormat.Legacy ? BatchFormat.Legacy : BatchFormat.Entra;
                invitations = ValidateRows(
                    file.ReadRows(), InvitationRowValidator.For(file.Format, RowRules.File, policy.Redirects, policy.Domains, assignable), new DuplicateEmailTracker(file.Format), EmailColumn(file.Format), batch.Id, now, lookup);
            }

            earlier = await lookup.CompleteAsync();
        }

        batch.Sha256 = hashing.Finish();
        batch.SizeBytes = hashing.BytesRead;
        await FlagAlreadyInvitedAsync(invitations, earlier, EmailColumn(batch.Format), ct);
        await StoreAsync(batch, invitations, actor, submit, ct);
        metrics?.Upload(batch, time.GetElapsedTime(started));
        return batch;
    }

    /// <summary>One invitation from the form or the API: validated like a CSV row, stored as a one-row batch.</summary>
    public async Task<(Batch Batch, IReadOnlyList<RowError> Errors)> ImportSingleAsync(InvitationRow row, string actor, CancellationToken ct, BatchSender? sender = null)
    {
        var batch = NewBatch("Single invitation", BatchFormat.Single, actor, email: null, sender);
        var now = batch.UploadedAt;
        // Same shape as a cell from the reader: trimmed, and null when empty.
        static string? Cell(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        row = new InvitationRow(
            1, Cell(row.Email), Cell(row.DisplayName), Cell(row.ContactUsUrl), Cell(row.BrandingAppId), Cell(row.AppIds),
            Cell(row.GroupIds), Cell(row.RedirectUrl), Cell(row.Language), Cell(row.SendEmail), Cell(row.CustomMessage));
        var invitations = await ValidateListedAsync([row], batch.Id, now, ct);
        var errors = Errors(invitations[0]);
        if (errors.Count > 0)
        {
            return (batch, errors);
        }

        if (sender is null)
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        batch.Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(row, JsonOptions)));
        await StoreAsync(batch, invitations, actor, submit: true, ct);
        return (batch, []);
    }

    /// <summary>
    /// The checks of a single invitation without storing anything (an access request when it is made): the row's rules,
    /// the domain policy, the assignable list and an address already invited — the same sentences an upload gives.
    /// </summary>
    public async Task<IReadOnlyList<RowError>> CheckAsync(InvitationRow row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        var invitations = await ValidateListedAsync([row], Guid.Empty, time.GetUtcNow().UtcDateTime, ct);
        return Errors(invitations[0]);
    }

    /// <summary>
    /// Rows given field by field (the form, the API, an access request's partners) validated like CSV rows — one row under
    /// the single-invitation rules, more under a file's — then flagged when an address was invited before.
    /// </summary>
    /// <param name="rules">The rules rows are held to; by default the single invitation's for one row, a file's for more.</param>
    private async Task<List<Invitation>> ValidateListedAsync(IReadOnlyList<InvitationRow> rows, Guid batchId, DateTime now, CancellationToken ct, RowRules? rules = null)
    {
        rules ??= rows.Count == 1 ? RowRules.SingleInvitation : RowRules.File;
        var policy = await policies.ForUploadAsync(ct);
        var invitations = ValidateRows(
            rows,
            InvitationRowValidator.For(CsvFormat.Legacy, rules.Value, policy.Redirects, policy.Domains, await AssignableList.LoadAsync(db, ct)),
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
    /// An approved access request: its partners validated again like rows (the domain policy and the assignable list as
    /// they are now, an address invited since), then stored as one batch submitted by the approver, each row with the
    /// requester as sponsor. All or nothing: when a row is refused nothing is stored and the errors say why.
    /// </summary>
    public async Task<(Batch Batch, IReadOnlyList<RowError> Errors)> ImportRequestAsync(
        IReadOnlyList<InvitationRow> rows, string? sponsorId, string actor, CancellationToken ct, BatchSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var batch = NewBatch("Access request", BatchFormat.Request, actor, email: null, sender);
        var now = batch.UploadedAt;
        // Each partner was entered like a single invitation (no contact-us link is asked for): checked again by the same rules.
        var invitations = await ValidateListedAsync(rows, batch.Id, now, ct, RowRules.SingleInvitation);
        var errors = invitations.SelectMany(i => Errors(i).Select(e => rows.Count == 1 ? e : e with { Message = $"Partner {i.RowNumber}, {e.Message}" })).ToList();
        if (errors.Count > 0)
        {
            return (batch, errors);
        }

        if (sender is null)
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        foreach (var invitation in invitations)
        {
            invitation.SponsorId = sponsorId;
        }

        batch.Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(rows, JsonOptions)));
        await StoreAsync(batch, invitations, actor, submit: true, ct);
        return (batch, []);
    }

    /// <summary>Why the row is Invalid (its stored errors); empty for a valid row.</summary>
    public static IReadOnlyList<RowError> Errors(Invitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return invitation.ValidationErrors ?? [];
    }

    private static List<Invitation> ValidateRows(
        IEnumerable<InvitationRow> rows, InvitationRowValidator validator, DuplicateEmailTracker duplicates, string emailColumn, Guid batchId, DateTime now, EarlierInvitationLookup? lookup)
    {
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
    private async Task FlagAlreadyInvitedAsync(List<Invitation> invitations, IReadOnlyList<EarlierInvitation> earlier, string emailColumn, CancellationToken ct)
    {
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

    private async Task StoreAsync(Batch batch, List<Invitation> invitations, string actor, bool submit, CancellationToken ct)
    {
        batch.TotalRows = invitations.Count;
        batch.InvalidRows = invitations.Count(i => i.Status == InvitationStatus.Invalid);
        batch.ValidRows = batch.TotalRows - batch.InvalidRows;
        var now = batch.UploadedAt;
        foreach (var invitation in invitations)
        {
            // Valid rows of a batch under review are Held until "Send": the queue only claims Queued rows.
            invitation.Status = InvitationLifecycle.Created(invitation.Status != InvitationStatus.Invalid, submit);
            invitation.QueuedAt = invitation.Status == InvitationStatus.Queued ? now : null;
        }

        if (submit)
        {
            batch.Status = BatchStatus.Submitted;
            batch.SubmittedAt = now;
            batch.SubmittedBy = actor;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Batches.Add(batch);
        db.AuditEntries.Add(new AuditEntry
        {
            At = now,
            Actor = actor,
            Action = "Uploaded",
            BatchId = batch.Id,
            Detail = $"{batch.FileName}: {Plural.Of(batch.TotalRows, "row")}, {batch.ValidRows:N0} valid, {batch.InvalidRows:N0} invalid",
        });
        if (submit)
        {
            db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = "Submitted", BatchId = batch.Id, Detail = $"{Plural.Of(batch.ValidRows, "invitation")} queued" });
        }

        await db.SaveChangesAsync(ct);
        await InvitationBulkWriter.InsertAsync(db, invitations, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Stored batch {BatchId}: {Total} rows, {Valid} valid, submitted {Submitted}", batch.Id, batch.TotalRows, batch.ValidRows, submit);
    }

    /// <summary>A batch uploaded now, in review; sent as <paramref name="sender"/> when one is given (otherwise app-only).</summary>
    private Batch NewBatch(string fileName, BatchFormat format, string actor, InvitationEmail? email, BatchSender? sender) => new()
    {
        Id = Guid.CreateVersion7(),
        FileName = fileName,
        Sha256 = "",
        UploadedBy = actor,
        UploadedAt = time.GetUtcNow().UtcDateTime,
        Status = BatchStatus.Review,
        Format = format,
        Email = email ?? emailOptions.Value.Email,
        SentAs = sender?.UserPrincipalName,
        SenderObjectId = sender?.ObjectId,
        SenderTenantId = sender?.TenantId,
    };

    private static string EmailColumn(CsvFormat format) => format == CsvFormat.Legacy ? InvitationColumns.Email : InvitationColumns.InviteeEmail;

    private static string EmailColumn(BatchFormat format) => EmailColumn(format == BatchFormat.Entra ? CsvFormat.Entra : CsvFormat.Legacy);

    /// <summary>
    /// The name of an uploaded file as the portal stores and shows it: no folders, no control characters, and no
    /// invisible formatting characters — a right-to-left override (U+202E) would make "partners\u202Evsc.exe" show as
    /// "partnersexe.csv" on every page that lists it.
    /// </summary>
    public static string SafeFileName(string? fileName)
    {
        var kept = new string([.. (fileName ?? "").Where(c => !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)]);
        var name = Path.GetFileName(kept.Replace('\\', '/'));
        return Truncate(string.IsNullOrWhiteSpace(name) ? "upload.csv" : name, FieldLengths.FileName)!;
    }

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
