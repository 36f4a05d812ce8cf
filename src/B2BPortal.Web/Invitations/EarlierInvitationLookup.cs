namespace B2BPortal.Web.Invitations;

/// <summary>An address's invitation in an earlier batch that is still going or done.</summary>
public sealed record EarlierInvitation(string NormalizedEmail, InvitationStatus Status, int RowNumber, Guid BatchId)
{
    /// <summary>Statuses that mean "this address already has (or is about to get) an invitation".</summary>
    internal static readonly InvitationStatus[] ActiveStatuses =
        [InvitationStatus.Held, InvitationStatus.Queued, InvitationStatus.Sending, InvitationStatus.Invited, InvitationStatus.Accepted];
}

/// <summary>
/// Looks addresses up in earlier batches while the file is still being read: every <see cref="ChunkSize"/> valid
/// addresses go to the database as one query on a connection of their own, so the database works while the next rows
/// are parsed instead of after the whole file.
/// </summary>
public sealed class EarlierInvitationLookup(IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) : IAsyncDisposable
{
    internal const int ChunkSize = 10_000;

    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
    private readonly List<Task<List<EarlierInvitation>>> _queries = [];
    private List<string> _pending = new(ChunkSize);

    public void Add(string normalizedEmail)
    {
        _pending.Add(normalizedEmail);
        if (_pending.Count == ChunkSize)
        {
            Flush();
        }
    }

    /// <summary>Every earlier invitation of the added addresses.</summary>
    public async Task<IReadOnlyList<EarlierInvitation>> CompleteAsync()
    {
        Flush();
        var found = await Task.WhenAll(_queries);
        _queries.Clear();
        return [.. found.SelectMany(f => f)];
    }

    /// <summary>One query for a set of addresses on the given context.</summary>
    public static async Task<List<EarlierInvitation>> FindAsync(PortalDbContext db, string[] normalizedEmails, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (normalizedEmails.Length == 0)
        {
            return [];
        }

        // One array parameter (not thousands of scalars): one plan, index lookups on NormalizedEmail.
        return await db.Invitations.AsNoTracking()
            .Where(i => EF.Parameter(normalizedEmails).Contains(i.NormalizedEmail) && EarlierInvitation.ActiveStatuses.Contains(i.Status))
            .Select(i => new EarlierInvitation(i.NormalizedEmail, i.Status, i.RowNumber, i.BatchId))
            .ToListAsync(ct);
    }

    /// <summary>A file refused half-way leaves queries running: cancel them and wait, so none outlives the upload.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_queries.Count > 0)
        {
            await _cancel.CancelAsync();
            try
            {
                await Task.WhenAll(_queries);
            }
            catch (OperationCanceledException)
            {
                // Expected: the upload is already failing with its own error.
            }
        }

        _cancel.Dispose();
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var emails = _pending.ToArray();
        _pending = new List<string>(ChunkSize);
        var token = _cancel.Token;
        _queries.Add(Task.Run(
            async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(token);
                return await FindAsync(db, emails, token);
            },
            token));
    }
}
