using System.Text;
using B2BPortal.Web.Tests.Api.Client;
using B2BPortal.Web.Tests.Api.Client.Api.V1.Batches;
using B2BPortal.Web.Tests.Api.Client.Api.V1.Batches.Item.Invitations;
using B2BPortal.Web.Tests.Api.Client.Models;
using InvitationStatus = B2BPortal.Web.Tests.Api.Client.Models.InvitationStatus;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace B2BPortal.Web.Tests.Api;

/// <summary>
/// The automation story through the client Kiota generates from /openapi/v1.json (Api/Client, regenerated as its README
/// says), against the portal with its delivery workers and the simulated tenant: what an integrator's code does.
/// </summary>
public sealed class GeneratedClientTests(DeliveringPortalFactory portal) : IClassFixture<DeliveringPortalFactory>
{
    private const string Header = "Email,DisplayName,InviteContactUsUrl\r\n";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(PortalApiClient Client, IDisposable Http)> CreateClientAsync()
    {
        // The portal client carries the automation client's bearer token; Kiota adds nothing of its own.
        var http = await portal.CreateAutomationClientAsync();
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http);
        return (new PortalApiClient(adapter), http);
    }

    private static MultipartBody CsvFile(string csv, string fileName)
    {
        var body = new MultipartBody();
        body.AddOrReplacePart("file", "text/csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), fileName);
        return body;
    }

    private static string Unique(string local, string domain = "partner.example") => $"{local}.{Guid.NewGuid():N}@{domain}";

    private static Task<BatchDetail> UntilDoneAsync(PortalApiClient api, Guid id) =>
        Eventually.Until(
            () => api.Api.V1.Batches[id].GetAsync()!,
            batch => batch?.Done == true,
            $"batch {id} is done",
            Patience,
            batch => $"status {batch?.Status}, queued {batch?.Counts?.Queued}, sending {batch?.Counts?.Sending}")!;

    [Fact]
    public async Task GeneratedClient_AutomationStory_UploadsReviewsPollsResendsDownloadsInvitesAndResumes()
    {
        var (api, http) = await CreateClientAsync();
        using var _ = http;
        var batches = api.Api.V1.Batches;

        // Upload for review, then send it.
        var reviewed = Unique("reviewed");
        var held = await batches.PostAsync(CsvFile($"{Header}{reviewed},Reviewed Guest,https://c.example/\r\n", "review.csv"), c =>
        {
            c.QueryParameters.Submit = false;
            c.QueryParameters.Email = PostEmailQueryParameterType.Microsoft;
        });
        Assert.Equal("Review", held!.Status);
        Assert.Equal("legacy", held.Format);
        var submitted = await batches[held.Id!.Value].Submit.PostAsync();
        Assert.Equal(1, submitted!.Requeued);

        // Upload without review: one guest Graph invites, one it refuses.
        var invited = Unique("sent");
        var blocked = Unique("refused", "blocked.example");
        var sent = await batches.PostAsync(CsvFile($"{Header}{invited},Sent Guest,https://c.example/\r\n{blocked},Refused Guest,https://c.example/\r\n", "partners.csv"));
        Assert.Equal("Submitted", sent!.Status);
        var id = sent.Id!.Value;

        // Poll until done; list the rows by status.
        var done = await UntilDoneAsync(api, id);
        Assert.Equal(1, done.Counts!.Invited);
        Assert.Equal(1, done.Counts.Failed);
        Assert.Equal("app", done.SentAs);
        var failed = await batches[id].Invitations.GetAsync(c => c.QueryParameters.Status = GetStatusQueryParameterType.Failed);
        var failedRow = Assert.Single(failed!.Items!);
        Assert.Equal(blocked, failedRow.Email);
        Assert.Contains("cross-tenant access", failedRow.LastError, StringComparison.Ordinal);
        var invitedRows = await batches[id].Invitations.GetAsync(c => c.QueryParameters.Status = GetStatusQueryParameterType.Invited);
        Assert.Equal(invited, Assert.Single(invitedRows!.Items!).Email);
        var newest = await batches.GetAsync(c => c.QueryParameters.PageSize = 1);
        Assert.Equal(id, Assert.Single(newest!.Items!).Id);

        // Re-send the failed row; it is queued and sent (and refused) again.
        var resent = await batches[id].Resend.PostAsync(new ResendRequest { Statuses = [InvitationStatus.Failed] });
        Assert.Equal(1, resent!.Requeued);
        var again = await UntilDoneAsync(api, id);
        Assert.Equal(1, again.Counts!.Failed);

        // Download results.csv.
        await using var csv = await batches[id].ResultsCsv.GetAsync();
        var results = await new StreamReader(csv!).ReadToEndAsync().Within(TimeSpan.FromSeconds(30), "results.csv did not arrive in full");
        Assert.StartsWith("Row,Email,DisplayName,Status", results, StringComparison.Ordinal);
        Assert.Contains($"{invited},Sent Guest,Invited", results, StringComparison.Ordinal);
        Assert.Contains($"{blocked},Refused Guest,Failed", results, StringComparison.Ordinal);

        // Invite one guest.
        var single = await api.Api.V1.Invitations.PostAsync(new SingleInvitationRequest { Email = Unique("single"), DisplayName = "Single Guest", Language = "de" });
        Assert.Equal("single", single!.Format);
        Assert.Equal(1, (await UntilDoneAsync(api, single.Id!.Value)).Counts!.Invited);

        // Read the delivery state and resume it.
        var state = await api.Api.V1.Delivery.GetAsync();
        Assert.Equal("sending", state!.Mode);
        var resumed = await api.Api.V1.Delivery.Resume.PostAsync();
        Assert.Equal("sending", resumed!.Mode);
        Assert.False(string.IsNullOrWhiteSpace(resumed.Description));
    }

    [Fact]
    public async Task GeneratedClient_ErrorAnswers_ArriveAsTypedProblemDetails()
    {
        var (api, http) = await CreateClientAsync();
        using var _ = http;

        var missing = await Assert.ThrowsAsync<ProblemDetails>(() => api.Api.V1.Batches[Guid.NewGuid()].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.StartsWith("There is no batch", missing.Detail, StringComparison.Ordinal);

        var noFile = new MultipartBody();
        noFile.AddOrReplacePart("other", "text/plain", "x");
        var refused = await Assert.ThrowsAsync<ProblemDetails>(() => api.Api.V1.Batches.PostAsync(noFile));
        Assert.Equal(400, refused.ResponseStatusCode);
        Assert.Contains("field named 'file'", refused.Detail, StringComparison.Ordinal);

        var paging = await Assert.ThrowsAsync<ProblemDetails>(() => api.Api.V1.Batches.GetAsync(c => c.QueryParameters.PageSize = 1000));
        Assert.Equal(400, paging.ResponseStatusCode);
        Assert.StartsWith("pageSize must be between 1 and 200", paging.Detail, StringComparison.Ordinal);
    }
}
