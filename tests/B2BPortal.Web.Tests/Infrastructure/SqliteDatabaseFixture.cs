using Microsoft.Data.Sqlite;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>A migrated SQLite file in a temp folder for one test class: the embedded default's half of the data tests.</summary>
public sealed class SqliteDatabaseFixture : IPortalDatabaseFixture, IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"b2bportal-test-{Guid.NewGuid():N}.db");

    public bool IsPostgres => false;

    public string ConnectionString => $"Data Source={_path}";

    public async Task InitializeAsync()
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    public PortalDbContext CreateContext() =>
        new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options);

    public async Task ResetAsync()
    {
        // Respawn does not speak SQLite; a new file is as cheap and just as empty.
        await using var db = CreateContext();
        await db.Database.EnsureDeletedAsync();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return Task.CompletedTask;
    }
}
