using System.Diagnostics.Metrics;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting.Telemetry;
using B2BPortal.Web.Tests.Delivery;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace B2BPortal.Web.Tests.Telemetry;

/// <summary>The portal's metrics and pacing health as a worker records them, on PostgreSQL against the simulated tenant.</summary>
public sealed class DeliveryTelemetryTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private SimulatedTenantServer _tenant = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _tenant = await SimulatedTenantServer.StartAsync(https: false);
    }

    public async Task DisposeAsync() => await _tenant.DisposeAsync();

    private Dictionary<string, string?> Settings()
    {
        var settings = DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl);
        settings["Telemetry:QueueDepthCache"] = "00:00:00"; // every collection reads the table: the test looks right after the batch
        return settings;
    }

    [Fact]
    public async Task Deliver_FiveRowsOneRefused_MetricsCountEveryOutcomeGraphCallAndTheFinalQueue()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed,
        [
            .. DeliveryHarness.Rows(4),
            DeliveryHarness.Row("dave@contoso.com"), // a verified domain of the tenant: Graph refuses the invitation
        ]);

        using var host = DeliveryHarness.BuildHost(Settings());
        using var metrics = new MetricsRecorder(host.Services.GetRequiredService<IMeterFactory>());
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();
        metrics.Observe();

        Assert.Equal(4, metrics.Sum("b2bportal.invitations", ("outcome", "invited")));
        Assert.Equal(1, metrics.Sum("b2bportal.invitations", ("outcome", "failed")));
        Assert.Equal(0, metrics.Sum("b2bportal.invitations", ("outcome", "retried")));

        var invitationCalls = metrics.Of("b2bportal.graph.request.duration")
            .Where(r => Equals(r.Tags["graph.operation"], "POST /invitations")).ToList();
        Assert.Equal(4, invitationCalls.Count(r => Equals(r.Tags["http.response.status_code"], 201)));
        Assert.Equal(1, invitationCalls.Count(r => Equals(r.Tags["http.response.status_code"], 400)));
        Assert.Equal(5, invitationCalls.Count);
        Assert.All(invitationCalls, r => Assert.InRange(r.Value, 0, Patience.TotalSeconds));
        Assert.All(metrics.Of("b2bportal.pacing.wait.duration"), r => Assert.True(r.Value >= 0));
        Assert.Equal(5, metrics.Of("b2bportal.pacing.wait.duration").Count);

        // The gauge's last reading is the final state: four guests waiting to accept, nothing left to send.
        var depth = metrics.Of("b2bportal.queue.depth").TakeLast(QueueDepthReader.Outstanding.Length)
            .ToDictionary(r => (string)r.Tags["status"]!, r => r.Value);
        Assert.Equal(new Dictionary<string, double> { ["Held"] = 0, ["Queued"] = 0, ["Sending"] = 0, ["Invited"] = 4 }, depth);

        // No personal data in any tag: no address, no display name.
        Assert.DoesNotContain(
            metrics.Of("b2bportal.invitations").Concat(metrics.Of("b2bportal.graph.request.duration")).SelectMany(r => r.Tags.Values),
            v => v is string s && (s.Contains('@', StringComparison.Ordinal) || s.Contains("Guest", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PacingHealth_PausedByAbuseBlock_IsDegradedWithGraphsReason()
    {
        using var host = DeliveryHarness.BuildHost(
            Settings(), configure: services => services.AddPortalTelemetry(new ConfigurationBuilder().Build()));
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var sending = await health.CheckHealthAsync(r => r.Tags.Contains("ready") && r.Name == "pacing");
        Assert.Equal(HealthStatus.Healthy, sending.Entries["pacing"].Status);

        const string reason = "Invitations are blocked for this directory due to suspicious activity.";
        Assert.True(await host.Services.GetRequiredService<TenantPacer>().PauseAsync(reason, CancellationToken.None));
        var paused = await health.CheckHealthAsync(r => r.Tags.Contains("ready") && r.Name == "pacing");

        var entry = paused.Entries["pacing"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains(reason, entry.Description, StringComparison.Ordinal);
        Assert.Equal("Paused", entry.Data["mode"]);
    }
}
