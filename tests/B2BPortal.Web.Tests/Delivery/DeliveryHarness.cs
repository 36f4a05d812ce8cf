using B2BPortal.Web.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// Hosts invitation delivery the way a worker instance runs it — a generic host with the portal database and
/// <see cref="DeliveryServiceCollectionExtensions.AddInvitationDelivery"/> — against a simulated tenant over HTTP.
/// </summary>
internal static class DeliveryHarness
{
    /// <summary>Fast settings for tests: short backoff, idle polls and timeouts; pacing as in production unless overridden.</summary>
    public static Dictionary<string, string?> TestSettings(string connectionString, string tenantUrl) => new()
    {
        ["ConnectionStrings:Portal"] = connectionString,
        ["AzureAd:TenantId"] = "",
        ["Simulation:TenantUrl"] = tenantUrl,
        ["Simulation:Enabled"] = "true", // the process tests run the portal in Production
        ["Portal:Roles"] = "worker",
        ["Delivery:IdleDelay"] = "00:00:00.100",
        ["Delivery:BackoffBase"] = "00:00:00.050",
        ["Delivery:BackoffMax"] = "00:00:00.500",
        ["Delivery:GraphTimeout"] = "00:00:05",
        ["Delivery:TrackerInterval"] = "01:00:00",
        ["Delivery:WorkerCount"] = "4",
    };

    public static IHost BuildHost(
        IDictionary<string, string?> settings,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null,
        string? contentRoot = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
            ContentRootPath = contentRoot ?? AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging(logging =>
        {
            // As the portal factories do: with B2BPORTAL_TEST_LOG set, a worker's warnings and errors are kept (xunit drops console output).
            if (Environment.GetEnvironmentVariable("B2BPORTAL_TEST_LOG") is { Length: > 0 } log)
            {
                logging.AddProvider(new FileLoggerProvider(log));
            }
        });
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddPortalDatabase(builder.Configuration, builder.Environment);
        builder.Services.AddInvitationDelivery(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A submitted batch whose rows are Queued, as the upload page leaves it.</summary>
    public static async Task<Guid> QueueBatchAsync(PortalDbContext db, IEnumerable<Invitation> rows, BatchFormat format = BatchFormat.Entra)
    {
        var now = DateTime.UtcNow;
        var batch = new Batch
        {
            Id = Guid.NewGuid(),
            FileName = "partners.csv",
            Sha256 = new string('b', 64),
            Format = format,
            Status = BatchStatus.Submitted,
            UploadedBy = "admin@contoso.onmicrosoft.com",
            UploadedAt = now,
            SubmittedAt = now,
        };
        var rowNumber = 2;
        foreach (var row in rows)
        {
            row.BatchId = batch.Id;
            row.RowNumber = rowNumber++;
            row.Status = InvitationStatus.Queued;
            row.CreatedAt = now;
            row.UpdatedAt = now;
            row.QueuedAt = now;
            batch.Invitations.Add(row);
        }

        batch.TotalRows = batch.ValidRows = batch.Invitations.Count;
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        return batch.Id;
    }

    public static Invitation Row(string email, List<string>? groups = null, List<string>? apps = null, string? language = null) => new()
    {
        Email = email,
        NormalizedEmail = email.ToLowerInvariant(),
        DisplayName = "Guest " + email.Split('@')[0],
        GroupIds = groups,
        AppIds = apps,
        Language = language,
        SendEmail = true,
    };

    public static IEnumerable<Invitation> Rows(int count, string domain = "partner.example") =>
        Enumerable.Range(1, count).Select(i => Row($"guest{i:D4}@{domain}"));

    /// <summary>
    /// Waits until no row of the batch is waiting or being sent; on timeout throws, saying how many rows were still
    /// in which status.
    /// </summary>
    public static async Task WaitUntilSettledAsync(Func<PortalDbContext> createDb, Guid batchId, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(createDb);
        await Eventually.Until(
            async () =>
            {
                await using var db = createDb();
                return await db.Invitations
                    .Where(i => i.BatchId == batchId && (i.Status == InvitationStatus.Queued || i.Status == InvitationStatus.Sending))
                    .GroupBy(i => i.Status)
                    .Select(g => new { Status = g.Key, Rows = g.Count() })
                    .ToListAsync();
            },
            busy => busy.Count == 0,
            $"no row of batch {batchId} is Queued or Sending",
            timeout,
            busy => string.Join(", ", busy.Select(b => $"{b.Rows} row(s) {b.Status}")));
    }

    /// <summary>PUT /_tenant/faults, the contract's way to change fault injection.</summary>
    public static async Task SetFaultsAsync(SimulatedTenantServer server, object faults)
    {
        using var http = new HttpClient();
        using var response = await http.PutAsJsonAsync($"{server.BaseUrl}/_tenant/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>PUT /_tenant/policy: the tenant's guest invite setting (allowInvitesFrom).</summary>
    public static async Task SetGuestInvitePolicyAsync(SimulatedTenantServer server, string allowInvitesFrom)
    {
        using var http = new HttpClient();
        using var response = await http.PutAsJsonAsync($"{server.BaseUrl}/_tenant/policy", new { allowInvitesFrom });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many rows of the batch are in <paramref name="status"/> now.</summary>
    public static async Task<int> CountAsync(Func<PortalDbContext> createDb, Guid batchId, InvitationStatus status)
    {
        ArgumentNullException.ThrowIfNull(createDb);
        await using var db = createDb();
        return await db.Invitations.CountAsync(i => i.BatchId == batchId && i.Status == status);
    }

    public static async Task<List<Invitation>> RowsAsync(Func<PortalDbContext> createDb, Guid batchId)
    {
        await using var db = createDb();
        return await db.Invitations.AsNoTracking().Include(i => i.Assignments).Where(i => i.BatchId == batchId).OrderBy(i => i.RowNumber).ToListAsync();
    }
}
