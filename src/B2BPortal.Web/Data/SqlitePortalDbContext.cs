using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace B2BPortal.Web.Data;

/// <summary>
/// SQLite: the embedded default so <c>dotnet run</c> needs nothing installed. Migrations in Data/Migrations/Sqlite:
/// <c>dotnet ef migrations add NAME --project src/B2BPortal.Web --context SqlitePortalDbContext --output-dir Data/Migrations/Sqlite</c>.
/// </summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // The batch page's search words (InvitationSearch). SQLite adds generated columns to an existing table only as
        // VIRTUAL (computed on read); its LIKE already ignores the case of ASCII letters, so the words are not lowered.
        modelBuilder.Entity<Invitation>().Property<string>(InvitationSearch.WordsProperty)
            .HasComputedColumnSql(InvitationSearch.WordsSql(), stored: false);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);

        // SQLite keeps DateTime as text without a kind; every time in the model is UTC, so say so on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

/// <summary>Writes UTC (converting a local time), reads back with Kind=Utc.</summary>
internal sealed class UtcDateTimeConverter : ValueConverter<DateTime, DateTime>
{
    public UtcDateTimeConverter()
        : base(
            v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
            v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
    {
    }
}
