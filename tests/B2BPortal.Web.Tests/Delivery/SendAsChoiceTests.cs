using System.Text;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// Issue 9, app-only as an explicit per-batch choice: on a default tenant an admin may send a reviewed batch as the portal's
/// application instead of as themself; the batch, the API and the guests' email then name the application.
/// </summary>
public sealed class SendAsChoiceTests(DeliveringPortalFactory portal) : IClassFixture<DeliveringPortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<string> UploadForReviewAsync(HttpClient client, string prefix)
    {
        var csv = $"Email,DisplayName,InviteContactUsUrl\n{prefix}.{Guid.NewGuid():N}@partner.example,Guest,https://contoso.example/contact\n";
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "choice.csv" } };
        var created = await client.PostAsync("/api/v1/batches?submit=false", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task SendOnThePage_AsTheApplication_BatchAndEmailNameTheApplication()
    {
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        using var automation = await portal.CreateAutomationClientAsync();
        var id = await UploadForReviewAsync(automation, "app-choice");

        var message = await BatchPage.SendAsync(admin, id, sendAs: "app");

        Assert.Equal("1 invitation queued for sending as the portal's application.", message);
        var batch = await Eventually.Until(
            () => automation.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}"), b => b.GetProperty("done").GetBoolean(),
            "the batch sent", Patience, b => Task.FromResult(b.ToString()));
        Assert.Equal("app", batch.GetProperty("sentAs").GetString());
        var email = Assert.Single(portal.Tenant.Tenant.Mailbox(), m => m.To.StartsWith("app-choice.", StringComparison.Ordinal));
        Assert.NotEqual(SimulatedTenantDefaults.GlobalAdminUpn, email.InvitedBy);
        Assert.Equal(MailboxMessage.InvitationKind, email.Kind);
    }

    [Fact]
    public async Task SubmitApi_SendAsUnknown_400NamingTheChoices()
    {
        using var automation = await portal.CreateAutomationClientAsync();
        var id = await UploadForReviewAsync(automation, "bad-choice");

        var response = await automation.PostAsync($"/api/v1/batches/{id}/submit?sendAs=someone", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("use sendAs=me", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
