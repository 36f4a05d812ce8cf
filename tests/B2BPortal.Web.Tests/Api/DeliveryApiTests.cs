using System.Text;
using B2BPortal.Simulator.Faults;

namespace B2BPortal.Web.Tests.Api;

/// <summary>Automation sees a tenant-wide pause and lifts it through the API, as an admin does on the dashboard.</summary>
public sealed class DeliveryApiTests(DeliveringPortalFactory portal) : IClassFixture<DeliveringPortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Delivery_AbuseBlock_ReportedAsPausedAndResumeSendsTheRest()
    {
        portal.Tenant.Tenant.SetFaults(new FaultSettings { AbuseBlockAfter = 2 });
        using var client = await portal.CreateAutomationClientAsync();
        var csv = "Email,DisplayName,InviteContactUsUrl\n" +
            string.Concat(Enumerable.Range(0, 5).Select(n => $"paused{n}.{Guid.NewGuid():N}@partner.example,P {n},https://c.example/\n"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "paused.csv" } };
        var created = await (await client.PostAsync("/api/v1/batches", form)).Content.ReadFromJsonAsync<JsonElement>();
        var batchId = created.GetProperty("id").GetGuid();

        var paused = await WaitForAsync(client, "/api/v1/delivery", d => d.GetProperty("mode").GetString() == "paused");
        Assert.Contains("suspicious activity", paused.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);
        var whilePaused = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}");
        Assert.Equal(0, whilePaused.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.False(whilePaused.GetProperty("done").GetBoolean());

        portal.Tenant.Tenant.SetFaults(new FaultSettings());
        var resumed = await client.PostAsync("/api/v1/delivery/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        Assert.Equal("sending", (await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mode").GetString());

        var done = await WaitForAsync(client, $"/api/v1/batches/{batchId}", b => b.GetProperty("counts").GetProperty("invited").GetInt32() == 5);
        Assert.Equal(0, done.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal(5, portal.Tenant.Tenant.Mailbox().Count(m => m.To.StartsWith("paused", StringComparison.Ordinal)));
    }

    private static Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> done) =>
        Eventually.Until(() => client.GetFromJsonAsync<JsonElement>(path), done, $"{path} reached the expected state", Patience, body => body.ToString());
}
