namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>A migrated database of one provider that data tests run against, emptied between tests.</summary>
public interface IPortalDatabaseFixture
{
    bool IsPostgres { get; }

    string ConnectionString { get; }

    PortalDbContext CreateContext();

    /// <summary>Deletes every row (the schema and migration history stay).</summary>
    Task ResetAsync();
}
