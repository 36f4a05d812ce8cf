using AngleSharp.Html.Parser;
using B2BPortal.Web.UnitTests.Invitations.Csv;

namespace B2BPortal.Web.Tests.Api;

/// <summary>
/// A hardened tenant ("only users assigned to specific admin roles can invite"): Graph refuses invitations sent as an
/// application, so the portal refuses app-only submission up front — one clear answer, no Failed rows, nothing sent.
/// </summary>
public sealed class GuestInviteSettingTests(GuestInviteSettingTests.RestrictedPortal portal) : IClassFixture<GuestInviteSettingTests.RestrictedPortal>
{
    private const string File2016 =
        "Email,DisplayName,InviteContactUsUrl,Language\r\n" +
        "{0},Jürgen Müller,https://contoso.example/contact,de\r\n" +
        "{1},Yuki Tanaka,https://contoso.example/contact,ja\r\n";

    /// <summary>A portal whose simulated tenant restricts guest invitations to admins and Guest Inviters (set before the first request).</summary>
    public sealed class RestrictedPortal : PortalFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Delivery.DeliveryHarness.SetGuestInvitePolicyAsync(Tenant, "adminsAndGuestInviters");
        }
    }

    [Fact]
    public async Task Upload_AppOnlyToARestrictedTenant_RefusedWith409NamingTheSettingAndNothingStored()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var response = await client.PostAsync("/api/v1/batches", BatchesApiTests.FileForm(File()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("allowInvitesFrom = adminsAndGuestInviters", detail, StringComparison.Ordinal);
        Assert.Contains("Only users assigned to specific admin roles can invite guest users", detail, StringComparison.Ordinal);
        Assert.Contains("Guest invite settings", detail, StringComparison.Ordinal);
        await using var db = CreateContext();
        Assert.False(await db.Invitations.AnyAsync(i => i.Status == InvitationStatus.Failed));
        Assert.Equal(0, portal.Tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task SubmitAfterReview_AppOnlyToARestrictedTenant_RefusedAndTheBatchStaysInReview()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var upload = await client.PostAsync("/api/v1/batches?submit=false", BatchesApiTests.FileForm(File()));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var submit = await client.PostAsync($"/api/v1/batches/{id}/submit", null);

        Assert.Equal(HttpStatusCode.Conflict, submit.StatusCode);
        Assert.Contains("allowInvitesFrom", await submit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var batch = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}");
        Assert.Equal("Review", batch.GetProperty("status").GetString());
        Assert.Equal(2, batch.GetProperty("counts").GetProperty("held").GetInt32());
        Assert.Equal(0, batch.GetProperty("counts").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task SingleInvitation_AppOnlyToARestrictedTenant_Refused()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/invitations", new
        {
            email = $"one.{Guid.NewGuid():N}@partner.example",
            displayName = "One Guest",
            inviteRedirectUrl = "https://myapps.microsoft.com",
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Guest invite settings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, portal.Tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task SendOnTheBatchPage_RestrictedTenant_QueuedAsTheSignedInAdminNotRefused()
    {
        using var admin = await portal.SignInAsync("admin@contoso.onmicrosoft.com");
        using var automation = await portal.CreateAutomationClientAsync();
        var upload = await automation.PostAsync("/api/v1/batches?submit=false", BatchesApiTests.FileForm(File()));
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var message = await BatchPage.SendAsync(admin, id!);

        // Sent as the admin, whose role the setting allows: the app-only refusal does not apply.
        Assert.Equal("2 invitations queued for sending.", message);
        var after = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/Batches/Details/{id}"));
        Assert.Equal("admin@contoso.onmicrosoft.com", after.QuerySelector("[data-field=sentAs]")!.TextContent.Trim());
        await using var db = CreateContext();
        var batch = await db.Batches.SingleAsync(b => b.Id == Guid.Parse(id!));
        Assert.Equal((BatchStatus.Submitted, "admin@contoso.onmicrosoft.com"), (batch.Status, batch.SentAs));
    }

    private static byte[] File() =>
        CsvBytes.Utf8(string.Format(System.Globalization.CultureInfo.InvariantCulture, File2016, $"de.{Guid.NewGuid():N}@partner.example", $"ja.{Guid.NewGuid():N}@partner.example"));

    private PortalDbContext CreateContext() => portal.Services.CreateScope().ServiceProvider.GetRequiredService<PortalDbContext>();
}
