using Npgsql;
using Respawn;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database on the shared <see cref="PostgresServer"/> for one test class (CREATE DATABASE with a
/// unique name), emptied by <see cref="ResetAsync"/> through Respawn and dropped afterwards.
/// </summary>
public sealed class PostgresDatabaseFixture : IPortalDatabaseFixture, IAsyncLifetime
{
    private PostgresServer? _server;
    private Respawner? _respawner;

    public bool IsPostgres => true;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.GetAsync();
        ConnectionString = await _server.CreateDatabaseAsync(GetType().Name, CancellationToken.None);

        await using (var db = CreateContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__EFMigrationsHistory"],
        });
    }

    public PortalDbContext CreateContext() =>
        new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(ConnectionString).Options);

    public async Task ResetAsync()
    {
        var respawner = _respawner ?? throw new InvalidOperationException("The fixture is not initialized.");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await respawner.ResetAsync(connection);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null && ConnectionString.Length > 0)
        {
            await _server.DropDatabaseAsync(ConnectionString);
        }
    }
}
