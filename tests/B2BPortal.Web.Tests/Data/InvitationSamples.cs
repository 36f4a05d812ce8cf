namespace B2BPortal.Web.Tests.Data;

/// <summary>Made-up batches and rows (example.com/example.org addresses only) that exercise every column.</summary>
internal static class InvitationSamples
{
    private static readonly InvitationStatus[] _statuses = Enum.GetValues<InvitationStatus>();

    // PostgreSQL keeps microseconds, .NET ticks are 100 ns: sample times are whole microseconds so they round-trip.
    public static DateTime UtcMicroseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);

    public static Batch NewBatch(int rows = 0) => new()
    {
        Id = Guid.NewGuid(),
        FileName = "partners.csv",
        Sha256 = new string('a', 64),
        SizeBytes = 1234,
        Format = BatchFormat.Entra,
        Status = BatchStatus.Review,
        UploadedBy = "admin@contoso.example",
        UploadedAt = UtcMicroseconds(DateTime.UtcNow),
        TotalRows = rows,
        ValidRows = rows,
    };

    /// <summary>Even rows fill every nullable column, odd rows leave them null; statuses cycle through all names.</summary>
    public static List<Invitation> NewInvitations(Guid batchId, int count)
    {
        var baseTime = UtcMicroseconds(new DateTime(2026, 3, 1, 8, 30, 15, DateTimeKind.Utc).AddTicks(1234560));
        var list = new List<Invitation>(count);
        for (var i = 0; i < count; i++)
        {
            var full = i % 2 == 0;
            var at = baseTime.AddSeconds(i).AddTicks(i * 10);
            list.Add(new Invitation
            {
                BatchId = batchId,
                RowNumber = i + 2,
                Email = $"Guest.{i}@Partner.example.com",
                NormalizedEmail = $"guest.{i}@partner.example.com",
                DisplayName = full ? $"Gäst {i} — Ünïcode 名前" : null,
                RedirectUrl = full ? $"https://apps.example.org/start?row={i}" : null,
                ContactUsUrl = full ? "https://example.org/contact" : null,
                BrandingAppId = full ? Guid.NewGuid().ToString() : null,
                AppIds = full ? [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()] : null,
                GroupIds = full ? [Guid.NewGuid().ToString()] : null,
                Language = full ? "pt-BR" : null,
                CustomMessage = full ? "Welcome,\n\"partner\"; see you; 100% ready\ttab" : null,
                SendEmail = full,
                Status = _statuses[i % _statuses.Length],
                // Two errors, one with what JSON must escape (quotes, a backslash, a line break) and text beyond ASCII.
                ValidationErrors = full ? null :
                [
                    new RowError("Email", "Add a domain after @."),
                    new RowError("DisplayName", $"Row {i + 2}, DisplayName: 'Gäst \"{i}\" \\ 名前'\nis too long."),
                ],
                Attempts = i % 4,
                LastError = full ? $"Graph said no ({i})" : null,
                GraphUserId = full ? Guid.NewGuid().ToString() : null,
                RedeemUrl = full ? $"https://invitations.example.org/redeem?id={i}" : null,
                CreatedAt = at,
                UpdatedAt = at.AddMinutes(1),
                QueuedAt = full ? at.AddMinutes(2) : null,
                NextAttemptAt = full ? at.AddMinutes(3) : null,
                InvitedAt = full ? at.AddMinutes(4) : null,
                AcceptedAt = full ? at.AddMinutes(5) : null,
                LeaseOwner = full ? $"worker-{i % 3}" : null,
                LeaseToken = full ? Guid.NewGuid() : null,
                LeaseExpiresAt = full ? at.AddMinutes(6) : null,
            });
        }

        return list;
    }
}
