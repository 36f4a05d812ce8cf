using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace B2BPortal.Web.Data;

/// <summary>
/// Chooses the provider (README "Quick start" and "PostgreSQL"): <c>ConnectionStrings:Portal</c> set → PostgreSQL, otherwise the
/// embedded SQLite file <c>App_Data/b2bportal.db</c> under the content root.
/// </summary>
public static class DatabaseSetup
{
    public const string ConnectionStringName = "Portal";

    public const string SqliteRelativePath = "App_Data/b2bportal.db";

    /// <summary>
    /// Registers <see cref="PortalDbContext"/> (scoped), <see cref="IDbContextFactory{PortalDbContext}"/> (singleton,
    /// for background services) and data-protection keys stored in the database.
    /// </summary>
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.AddOptions<KeyProtectionOptions>().BindConfiguration(KeyProtectionOptions.SectionName);

        var postgres = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddPortalContext<PostgresPortalDbContext>(options => options.UseNpgsql(WithAutoPrepare(postgres)));
        }
        else
        {
            var path = Path.Combine(environment.ContentRootPath, SqliteRelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var sqlite = $"Data Source={path}";
            services.AddPortalContext<SqlitePortalDbContext>(options => options.UseSqlite(sqlite));
        }

        // Shared by every instance (admins' token caches live here: web writes them at sign-in, workers read them).
        services.AddPortalClock();
        services.RemoveAll<Microsoft.Extensions.Caching.Distributed.IDistributedCache>();
        services.AddSingleton<Microsoft.Extensions.Caching.Distributed.IDistributedCache, DatabaseDistributedCache>();

        var keys = services.AddDataProtection()
            .PersistKeysToDbContext<PortalDbContext>()
            .SetApplicationName("B2BPortal");

        // The keys encrypt admins' refresh tokens in the same database (CacheEntries): in production encrypt the keys
        // themselves with a certificate kept outside it, so a copy of the database alone cannot act as an admin.
        // Read here, not through IOptions: data protection is configured before the container exists.
        var protection = configuration.GetSection(KeyProtectionOptions.SectionName).Get<KeyProtectionOptions>();
        if (!string.IsNullOrWhiteSpace(protection?.CertificatePath))
        {
            keys.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                protection.CertificatePath, protection.CertificatePassword));
        }

        return services;
    }

    /// <summary>
    /// Outside Development, warns at start-up when the data-protection keys are kept without certificate protection: they
    /// encrypt the admins' refresh tokens in the same database, so a copy of the database alone could act as an admin.
    /// The warning names the setting, never a key, path or password.
    /// </summary>
    public static void WarnWhenKeysUnprotected(this IServiceProvider services)
    {
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (environment.IsDevelopment() || !string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<KeyProtectionOptions>>().Value.CertificatePath))
        {
            return;
        }

        services.GetRequiredService<ILoggerFactory>().CreateLogger("B2BPortal.DataProtection").LogWarning(
            "Data-protection keys are stored in the portal's database without certificate protection: a copy of the database " +
            "alone can decrypt the admins' stored refresh tokens. Set {CertificatePathSetting} to a PFX kept outside the database " +
            "(and {CertificatePasswordSetting} from a vault); see README \"Security\".",
            KeyProtectionOptions.Setting(nameof(KeyProtectionOptions.CertificatePath)),
            KeyProtectionOptions.Setting(nameof(KeyProtectionOptions.CertificatePassword)));
    }

    /// <summary>
    /// Applies pending migrations unless <c>Database:MigrateOnStartup=false</c> (and switches a SQLite file to WAL);
    /// the caller decides when.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this IServiceProvider services, CancellationToken ct)
    {
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            return;
        }

        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await db.Database.MigrateAsync(ct).ConfigureAwait(false);
        if (!db.IsPostgres())
        {
            // Write-ahead logging lets pages read while the background services write; it sticks to the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string says otherwise: a page view runs the same handful
    /// of statements every time, and a prepared statement skips PostgreSQL's parse and plan (the load bench's batch
    /// page spent most of its database time there). A pooler that cannot keep prepared statements (PgBouncer before
    /// 1.21 in transaction mode) is configured with "Max Auto Prepare=0". Connections are not reset when they return to
    /// the pool ("No Reset On Close"): the portal sets no session state (no SET, temporary table, advisory lock or LISTEN),
    /// and the reset statements ran on PostgreSQL before every page's first query.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 50;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public static bool IsPostgres(this PortalDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsNpgsql();
    }

    private static void AddPortalContext<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : PortalDbContext
    {
        // Pooled: a page view or API call takes a ready context instead of building one (the status API is polled in a
        // loop by automation); the context keeps no state of its own beyond what EF resets on return.
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<PortalDbContext>, PortalDbContextFactory<TContext>>();
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
    }

    /// <summary>Hands out the provider's context as the provider-neutral type consumers ask for.</summary>
    private sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }
}
