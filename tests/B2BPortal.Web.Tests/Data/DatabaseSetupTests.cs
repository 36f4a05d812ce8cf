using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace B2BPortal.Web.Tests.Data;

/// <summary>Provider choice, registration, migrate-on-start switch and data-protection keys, through a real container.</summary>
public sealed class DatabaseSetupTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("b2bportal-setup-").FullName;

    [Fact]
    public async Task AddPortalDatabase_NoConnectionString_MigratesSqliteFileUnderContentRoot()
    {
        await using var services = Build(new Dictionary<string, string?>());

        await services.MigratePortalDatabaseAsync(CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_contentRoot, "App_Data", "b2bportal.db")));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.IsType<SqlitePortalDbContext>(db);
        Assert.False(db.IsPostgres());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync());
    }

    [Fact]
    public async Task AddPortalDatabase_ConnectionString_UsesPostgresForScopedContextAndFactory()
    {
        await using var services = Build(new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = postgres.ConnectionString });

        await services.MigratePortalDatabaseAsync(CancellationToken.None);

        await using var scope = services.CreateAsyncScope();
        Assert.True(scope.ServiceProvider.GetRequiredService<PortalDbContext>().IsPostgres());
        await using var fromFactory = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.IsType<PostgresPortalDbContext>(fromFactory);
        Assert.Empty(await fromFactory.Database.GetPendingMigrationsAsync());
        Assert.False(Directory.Exists(Path.Combine(_contentRoot, "App_Data")));
    }

    [Fact]
    public async Task MigratePortalDatabaseAsync_MigrateOnStartupFalse_LeavesSchemaAlone()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });

        await services.MigratePortalDatabaseAsync(CancellationToken.None);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task AddPortalDatabase_DataProtection_KeepsItsKeysInTheDatabase()
    {
        string protectedText;
        await using (var services = Build(new Dictionary<string, string?>()))
        {
            await services.MigratePortalDatabaseAsync(CancellationToken.None);
            protectedText = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("cookie payload");

            await using var scope = services.CreateAsyncScope();
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().DataProtectionKeys.CountAsync());
        }

        // A restarted process (new container, same database) can still read what the first one protected.
        await using var restarted = Build(new Dictionary<string, string?>());
        Assert.Equal("cookie payload", restarted.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_contentRoot, recursive: true);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPortalDatabase(configuration, new TestEnvironment(_contentRoot));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "B2BPortal.Web";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
