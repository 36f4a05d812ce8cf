using B2BPortal.Web.Delivery.Email;

namespace B2BPortal.Web.Batches;

/// <summary>
/// Upload a CSV of guests as a new batch: the file is read and validated as it streams, then stored with every row
/// (valid or not) in one transaction, so a refused file leaves nothing behind. The Upload page (the batch waits for
/// review) and <c>POST /api/v1/batches</c> (sent at once unless <c>submit=false</c>).
/// </summary>
public sealed class UploadBatch(
    IDbContextFactory<PortalDbContext> dbFactory,
    InvitationRows rows,
    BatchStore store,
    IOptions<UploadOptions> upload,
    GuestInvitePolicy invitePolicy,
    IOptions<InvitationEmailOptions> emailOptions,
    TenantConnectionResolver tenant,
    TimeProvider time,
    PortalMetrics? metrics = null)
{
    /// <param name="Content">The file as it arrives, read once.</param>
    /// <param name="FileName">The name the client gave the file; stored as <see cref="Batch.SafeFileName"/> makes it.</param>
    /// <param name="Submit">Queue the valid rows at once; false leaves the batch waiting for review.</param>
    /// <param name="Email">Who writes the guests' email; null for the configured writer (<c>Invitations:Email</c>).</param>
    /// <param name="Sender">The admin a submitted batch is sent as; null sends it as the portal's application.</param>
    public sealed record Command(Stream Content, string FileName, string Actor, bool Submit, InvitationEmail? Email = null, BatchSender? Sender = null);

    /// <summary>Why an <c>email</c> value of the API is not understood; null when it is (<c>microsoft</c>, <c>portal</c> or nothing).</summary>
    public static string? EmailProblem(string? email) => string.IsNullOrWhiteSpace(email) || Writer(email) is not null
        ? null
        : $"Unknown email '{email}': use email=microsoft (Microsoft's invitation email) or email=portal (the portal's own localized email).";

    /// <summary>The writer an <c>email</c> value names; null for nothing (the configured writer) or a value <see cref="EmailProblem"/> refuses.</summary>
    public static InvitationEmail? Writer(string? email) =>
        !string.IsNullOrWhiteSpace(email) && Enum.TryParse<InvitationEmail>(email.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    /// <summary>
    /// Why the guests' email cannot be written by <paramref name="email"/> (null: the configured writer) — the portal's own
    /// email without a mailbox or an organization name; null when it can. Asked before the file is read.
    /// </summary>
    public string? WriterProblem(InvitationEmail? email) =>
        (email ?? emailOptions.Value.Email) == InvitationEmail.Portal ? emailOptions.Value.PortalEmailProblem(tenant.Current.IsSimulated) : null;

    /// <summary>Reads, validates and stores the file; the batch as stored.</summary>
    /// <exception cref="InvitationFileRejectedException">The file is not an invitation list; nothing was stored.</exception>
    /// <exception cref="SubmissionRefusedException">It was to be sent at once, but the tenant would refuse every row; nothing was stored.</exception>
    public async Task<Batch> HandleAsync(Command command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (content, fileName, actor, submit, email, sender) = command;
        if (submit && sender is null)
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        var started = time.GetTimestamp();
        using var hashing = new HashingReadStream(content);
        // The format is set once the file is read; a batch left for review gets its sender when it is sent.
        var batch = store.New(Batch.SafeFileName(fileName), BatchFormat.Legacy, actor, email, submit ? sender : null);
        List<Invitation> invitations;
        IReadOnlyList<EarlierInvitation> earlier;
        string emailColumn;
        await using (var lookup = new EarlierInvitationLookup(dbFactory, ct))
        {
            using (var file = InvitationFileReader.Open(hashing, new InvitationFileOptions(upload.Value.MaxRows)))
            {
                batch.Format = file.Format == CsvFormat.Legacy ? BatchFormat.Legacy : BatchFormat.Entra;
                emailColumn = InvitationRows.EmailColumn(file.Format);
                var validator = await rows.ValidatorAsync(file.Format, RowRules.File, ct);
                invitations = InvitationRows.Validate(file.ReadRows(), validator, new DuplicateEmailTracker(file.Format), emailColumn, batch.Id, batch.UploadedAt, lookup);
            }

            earlier = await lookup.CompleteAsync();
        }

        batch.Sha256 = hashing.Finish();
        batch.SizeBytes = hashing.BytesRead;
        await rows.FlagAlreadyInvitedAsync(invitations, earlier, emailColumn, ct);
        await store.StoreAsync(batch, invitations, actor, submit, ct);
        metrics?.Upload(batch, time.GetElapsedTime(started));
        return batch;
    }
}
