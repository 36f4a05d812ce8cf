using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace B2BPortal.Web.Data;

// Column lengths stand on the entities ([MaxLength], from FieldLengths); enums are stored as their names
// (PortalDbContext.ConfigureConventions). What is here: keys, relationships and the indexes, each with the query it serves.
// Filtered indexes use a filter both providers understand (quoted identifiers, string literals); they only serve
// queries that compare Status with a constant, which is what EF emits for `x.Status == InvitationStatus.Queued`.

internal sealed class BatchConfiguration : IEntityTypeConfiguration<Batch>
{
    public void Configure(EntityTypeBuilder<Batch> builder)
    {

        // The Batches page: newest first, paged.
        builder.HasIndex(b => b.UploadedAt).IsDescending();

        builder.HasMany(b => b.Invitations)
            .WithOne(i => i.Batch)
            .HasForeignKey(i => i.BatchId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        // ID lists: text[] on PostgreSQL, a JSON array on SQLite (EF's primitive collections); no column length, the
        // row's validation bounds them (IdList.MaxCount).
        builder.PrimitiveCollection(i => i.AppIds);
        builder.PrimitiveCollection(i => i.GroupIds);
        // LastError (Graph's message) stays unbounded, and so does ValidationErrors: a JSON column (jsonb on PostgreSQL,
        // JSON text on SQLite) whose names are those the column held as hand-written JSON (camelCase), so stored rows
        // convert as they are. InvitationBulkWriter writes it from this mapping.
        builder.ComplexCollection(i => i.ValidationErrors, errors =>
        {
            errors.ToJson();
            errors.Property(e => e.Column).HasJsonPropertyName("column");
            errors.Property(e => e.Message).HasJsonPropertyName("message");
        });

        // Batch detail: rows of one batch, filtered by status, in file order; also the per-status counts.
        builder.HasIndex(i => new { i.BatchId, i.Status, i.RowNumber });
        // A page of a batch in file order, and a late page found on this index alone. The search has its own index per
        // provider (InvitationSearch: a tsvector with GIN on PostgreSQL). A contains-search walked every row of the batch
        // (23 ms for 50,000 rows, 90 searches/s at most on two cores), and trigram (pg_trgm) indexes were measured slower
        // still: addresses share their common trigrams ("gue", ".co"), so every search read long posting lists (30-60 ms
        // at 1,000,000 rows), and they halved the speed of storing an upload.
        builder.HasIndex(i => new { i.BatchId, i.RowNumber }).IsUnique();

        // "Already invited or accepted in an earlier batch": look-up by address, narrowed by status.
        builder.HasIndex(i => new { i.NormalizedEmail, i.Status });

        // The queue: due Queued rows, and Sending rows whose lease expired (docs/architecture.md decision 2).
        builder.HasIndex(i => new { i.Status, i.NextAttemptAt }, "IX_Invitations_Queue").HasFilter("\"Status\" = 'Queued'");
        builder.HasIndex(i => new { i.Status, i.LeaseExpiresAt }, "IX_Invitations_Leases").HasFilter("\"Status\" = 'Sending'");

        // Fair order for the queue: row 1 of every batch before row 2 of any, so a single invitation or a small batch
        // does not wait behind a 50,000-row batch (InvitationQueue.ClaimAsync).
        builder.HasIndex(i => new { i.RowNumber, i.Id }, "IX_Invitations_FairQueue").HasFilter("\"Status\" = 'Queued'");

        // The dashboard: invitations sent and accepted per day over a date range (only rows that have the time are
        // indexed). Per-status counts come from BatchStatusCounts, not from an index over every row.
        builder.HasIndex(i => i.InvitedAt, "IX_Invitations_InvitedAt").HasFilter("\"InvitedAt\" IS NOT NULL");
        builder.HasIndex(i => i.AcceptedAt, "IX_Invitations_AcceptedAt").HasFilter("\"AcceptedAt\" IS NOT NULL");

        // The portal's email stage: rows whose email is due and neither sent nor given up on.
        builder.HasIndex(i => i.EmailDueAt, "IX_Invitations_EmailQueue").HasFilter("\"EmailDueAt\" IS NOT NULL AND \"EmailSentAt\" IS NULL AND \"EmailError\" IS NULL");

        // The dashboard's "not accepted after N days" per batch: an index-only range, however many of a batch's guests
        // were invited recently.
        builder.HasIndex(i => new { i.BatchId, i.InvitedAt }, "IX_Invitations_Pending").HasFilter("\"Status\" = 'Invited'");

        // The redemption tracker walks Invited rows, oldest invitation first.
        builder.HasIndex(i => new { i.Status, i.InvitedAt }, "IX_Invitations_Tracker").HasFilter("\"Status\" = 'Invited'");

        // The Guests page and clean-up: the latest row per guest is the one with no later row of the same GraphUserId,
        // an anti-join this index answers for each row of a keyset page (Id descending, on the primary key).
        builder.HasIndex(i => new { i.GraphUserId, i.Id }, "IX_Invitations_Guests").HasFilter("\"GraphUserId\" IS NOT NULL");

        builder.HasMany(i => i.Assignments)
            .WithOne()
            .HasForeignKey(a => a.InvitationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BatchStatusCountConfiguration : IEntityTypeConfiguration<BatchStatusCount>
{
    public void Configure(EntityTypeBuilder<BatchStatusCount> builder)
    {
        // Named as a set would name it: the context exposes it as a read-only query, not a DbSet.
        builder.ToTable("BatchStatusCounts");
        builder.HasKey(c => new { c.BatchId, c.Status });
        builder.HasOne<Batch>().WithMany().HasForeignKey(c => c.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationAssignmentConfiguration : IEntityTypeConfiguration<InvitationAssignment>
{
    public void Configure(EntityTypeBuilder<InvitationAssignment> builder)
    {

        // One assignment per target: a retry finds what is done instead of adding it twice.
        builder.HasIndex(a => new { a.InvitationId, a.Kind, a.TargetId }).IsUnique();
    }
}

internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.HasMany(r => r.Partners).WithOne().HasForeignKey(p => p.AccessRequestId).OnDelete(DeleteBehavior.Cascade);

        // "My requests" and the approvers' queue (with its count in the navigation on every page).
        builder.HasIndex(r => new { r.RequesterObjectId, r.RequestedAt });
        builder.HasIndex(r => new { r.Status, r.RequestedAt });
    }
}

internal sealed class AccessRequestPartnerConfiguration : IEntityTypeConfiguration<AccessRequestPartner>
{
    public void Configure(EntityTypeBuilder<AccessRequestPartner> builder)
    {
        builder.PrimitiveCollection(p => p.GroupIds);
        builder.PrimitiveCollection(p => p.AppIds);
        builder.HasIndex(p => new { p.AccessRequestId, p.Position }).IsUnique();
    }
}

internal sealed class AssignableTargetConfiguration : IEntityTypeConfiguration<AssignableTarget>
{
    public void Configure(EntityTypeBuilder<AssignableTarget> builder)
    {

        // Each group or app once; also the look-up an upload makes for every ID it names.
        builder.HasIndex(t => new { t.Kind, t.TargetId }).IsUnique();
    }
}

internal sealed class PolicySettingConfiguration : IEntityTypeConfiguration<PolicySetting>
{
    public void Configure(EntityTypeBuilder<PolicySetting> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
    }
}

internal sealed class PreapprovedDomainConfiguration : IEntityTypeConfiguration<PreapprovedDomain>
{
    public void Configure(EntityTypeBuilder<PreapprovedDomain> builder)
    {
        builder.PrimitiveCollection(p => p.GroupIds);
        builder.PrimitiveCollection(p => p.AppIds);
        builder.HasIndex(p => p.Domain).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {

        // The audit log page (newest first) and a batch's own history. No foreign key: the log outlives batches.
        builder.HasIndex(a => a.At).IsDescending();
        builder.HasIndex(a => a.BatchId);
    }
}

internal sealed class TenantPacingConfiguration : IEntityTypeConfiguration<TenantPacing>
{
    public void Configure(EntityTypeBuilder<TenantPacing> builder)
    {
        builder.HasKey(p => p.TenantId);
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}

internal sealed class CacheEntryConfiguration : IEntityTypeConfiguration<CacheEntry>
{
    public void Configure(EntityTypeBuilder<CacheEntry> builder)
    {
        builder.ToTable("CacheEntries");
        builder.HasKey(e => e.Key);

        // The sweep of expired entries.
        builder.HasIndex(e => e.ExpiresAtMs);
    }
}
