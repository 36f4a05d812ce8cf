using NpgsqlTypes;

namespace B2BPortal.Web.Data;

/// <summary>
/// PostgreSQL (Npgsql): production and every integration test. Migrations in Data/Migrations/Postgres:
/// <c>dotnet ef migrations add NAME --project src/B2BPortal.Web --context PostgresPortalDbContext --output-dir Data/Migrations/Postgres</c>
/// (tool: <c>dotnet tool install --global dotnet-ef --version 10.0.15</c>; the design-time factory supplies the options).
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // The batch page's search words (InvitationSearch), kept by the database. One GIN index holds the batch and the
        // words (btree_gin lets GIN index the uuid), so a search within a batch is one index scan that meets both: a
        // GIN index of the words alone was combined by the planner with a walk of the batch's 50,000 index entries.
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.Entity<Invitation>(invitation =>
        {
            invitation.Property<NpgsqlTsVector>(InvitationSearch.VectorProperty)
                .HasComputedColumnSql(InvitationSearch.VectorSql(), stored: true);
            invitation.HasIndex(nameof(Invitation.BatchId), InvitationSearch.VectorProperty)
                .HasDatabaseName("IX_Invitations_Search").HasMethod("GIN");
        });
    }
}
