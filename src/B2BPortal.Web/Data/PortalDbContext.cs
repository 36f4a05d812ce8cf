using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace B2BPortal.Web.Data;

/// <summary>
/// The system of record and the work queue (docs/architecture.md decision 2). Provider-neutral: the model lives here,
/// <see cref="PostgresPortalDbContext"/> and <see cref="SqlitePortalDbContext"/> only carry their own migrations
/// (and SQLite's UTC conversion). Consumers inject <see cref="PortalDbContext"/>.
/// </summary>
public abstract class PortalDbContext : DbContext, IDataProtectionKeyContext
{
    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
        SavingChanges += (_, _) => BumpPacingVersions();
    }

    public DbSet<Batch> Batches => Set<Batch>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<InvitationAssignment> InvitationAssignments => Set<InvitationAssignment>();

    /// <summary>
    /// Read-only for the application, so a query and not a set: the database's triggers keep it (<see cref="BatchStatusCount"/>).
    /// </summary>
    public IQueryable<BatchStatusCount> BatchStatusCounts => Set<BatchStatusCount>().AsNoTracking();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AssignableTarget> AssignableTargets => Set<AssignableTarget>();

    public DbSet<PolicySetting> PolicySettings => Set<PolicySetting>();

    public DbSet<PreapprovedDomain> PreapprovedDomains => Set<PreapprovedDomain>();

    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();

    public DbSet<AccessRequestPartner> AccessRequestPartners => Set<AccessRequestPartner>();

    public DbSet<TenantPacing> TenantPacings => Set<TenantPacing>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<CacheEntry> CacheEntries => Set<CacheEntry>();

    /// <summary>Records who did what in the audit log, saved with the change it describes (the same SaveChanges).</summary>
    public void Audit(DateTime at, string actor, string action, string? detail = null, Guid? batchId = null) =>
        AuditEntries.Add(new AuditEntry { At = at, Actor = actor, Action = action, Detail = detail, BatchId = batchId });

    /// <summary>
    /// Removes a settings entry with this key and records it in the audit log in one save. Answers what happened in the
    /// words the settings page shows: the audit line's sentence, or that the entry was gone already (a second click,
    /// another admin).
    /// </summary>
    public async Task<string> RemoveAuditedAsync<T>(
        long id, DateTime at, string actor, string action, Func<T, string> detail, CancellationToken ct)
        where T : class
    {
        if (await Set<T>().FindAsync([id], ct) is not { } entity)
        {
            return "That entry was not on the list any more (removed already).";
        }

        Remove(entity);
        var said = detail(entity);
        Audit(at, actor, action, said);
        await SaveChangesAsync(ct);
        return said + ".";
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // Keys, relationships and indexes: ModelConfiguration.cs, one IEntityTypeConfiguration per entity.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Enums are stored as their names: status names are a public surface (README: API v1, results.csv) and read
        // well in SQL.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(FieldLengths.EnumName);
    }

    // Version is the optimistic concurrency token: every tracked change to a pacing row moves it on, so a second
    // instance that read the old row gets DbUpdateConcurrencyException instead of overwriting the window.
    private void BumpPacingVersions()
    {
        foreach (var entry in ChangeTracker.Entries<TenantPacing>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }
}
