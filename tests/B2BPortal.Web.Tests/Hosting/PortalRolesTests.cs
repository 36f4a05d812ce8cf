using B2BPortal.Web.Delivery;
using B2BPortal.Web.Tests.Delivery;
using Microsoft.Extensions.Hosting;

namespace B2BPortal.Web.Tests.Hosting;

/// <summary>A worker-only instance runs the workers and serves nothing but health; a web-only one serves and runs no workers.</summary>
public sealed class WorkerOnlyPortalFactory : PortalFactory
{
    protected override string Roles => "worker";
}

public sealed class WorkerRoleTests(WorkerOnlyPortalFactory portal) : IClassFixture<WorkerOnlyPortalFactory>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_IsServed(string path)
    {
        using var client = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Batches")]
    [InlineData("/Account/SignIn")]
    [InlineData("/api/v1/batches")]
    [InlineData("/openapi/v1.json")]
    public async Task PagesApiAndSignIn_AreNotServed(string path)
    {
        using var client = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Workers_RunAndDeliverQueuedRows()
    {
        Assert.Contains(portal.Services.GetServices<IHostedService>(), s => s is InvitationDispatcher);
        Assert.Contains(portal.Services.GetServices<IHostedService>(), s => s is RedemptionTracker);

        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var seed = await factory.CreateDbContextAsync();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(3, "roles.example"));
        await DeliveryHarness.WaitUntilSettledAsync(factory.CreateDbContext, batchId, TimeSpan.FromSeconds(60));

        var rows = await DeliveryHarness.RowsAsync(factory.CreateDbContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.Equal(3, portal.Tenant.Tenant.Mailbox().Count(m => m.To.EndsWith("@roles.example", StringComparison.Ordinal)));
    }
}

public sealed class WebRoleTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task WebOnly_ServesPagesAndApiButRunsNoWorkers()
    {
        Assert.Equal("web", portal.Services.GetRequiredService<IConfiguration>()[PortalRoles.Key]);
        Assert.DoesNotContain(portal.Services.GetServices<IHostedService>(), s => s is InvitationDispatcher or RedemptionTracker);

        using var client = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/batches")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/Batches")).StatusCode);
    }

    [Theory]
    [InlineData(null, true, true)]
    [InlineData("", true, true)]
    [InlineData("web", true, false)]
    [InlineData("worker", false, true)]
    [InlineData("Worker, web", true, true)]
    public void From_ReadsTheRoles(string? value, bool web, bool worker)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PortalRoles.Key] = value }).Build();
        Assert.Equal(new PortalRoles(web, worker), PortalRoles.From(configuration));
    }

    [Fact]
    public void From_UnknownRole_RefusesToStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PortalRoles.Key] = "web,wroker" }).Build();
        Assert.Contains("wroker", Assert.Throws<InvalidOperationException>(() => PortalRoles.From(configuration)).Message, StringComparison.Ordinal);
    }
}
