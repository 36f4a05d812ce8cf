namespace B2BPortal.Web.Batches;

/// <summary>
/// Invite one guest: the fields of a CSV row, validated like one under the single invitation's rules, stored as a
/// one-row batch and sent at once. The single-invitation form (<c>/Invitations/New</c>) and <c>POST /api/v1/invitations</c>.
/// </summary>
public sealed class InviteOne(InvitationRows rows, BatchStore store, GuestInvitePolicy invitePolicy)
{
    /// <param name="Sender">The admin it is sent as; null sends it as the portal's application.</param>
    public sealed record Command(InvitationRow Row, string Actor, BatchSender? Sender);

    /// <summary>The batch made; or, when <see cref="Errors"/> says why the row is not valid, a batch that was not stored.</summary>
    public sealed record Result(Batch Batch, IReadOnlyList<RowError> Errors);

    /// <exception cref="SubmissionRefusedException">The tenant would refuse the invitation; nothing was stored.</exception>
    public async Task<Result> HandleAsync(Command command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (given, actor, sender) = command;
        var batch = store.New("Single invitation", BatchFormat.Single, actor, email: null, sender);
        // Same shape as a cell from the reader: trimmed, and null when empty.
        static string? Cell(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var row = new InvitationRow(
            1, Cell(given.Email), Cell(given.DisplayName), Cell(given.ContactUsUrl), Cell(given.BrandingAppId), Cell(given.AppIds),
            Cell(given.GroupIds), Cell(given.RedirectUrl), Cell(given.Language), Cell(given.SendEmail), Cell(given.CustomMessage));
        var invitations = await rows.ListedAsync([row], batch.Id, batch.UploadedAt, ct);
        if (invitations[0].Errors is { Count: > 0 } errors)
        {
            return new Result(batch, errors);
        }

        if (sender is null)
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        batch.Sha256 = BatchStore.Sha256Of(row);
        await store.StoreAsync(batch, invitations, actor, submit: true, ct);
        return new Result(batch, []);
    }
}
