using AngleSharp.Html.Parser;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>What an admin does on a batch page, over HTTP with their sign-in cookie (the form's own antiforgery token).</summary>
internal static class BatchPage
{
    /// <summary>Presses "Send N invitations" on the batch under review; returns the status message the page then shows.</summary>
    /// <param name="sendAs"><c>app</c> picks "the portal's application" in the form's Send as choice; null leaves the default (you).</param>
    public static async Task<string?> SendAsync(HttpClient admin, string batchId, string? sendAs = null)
    {
        var page = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/Batches/Details/{batchId}"));
        var form = page.QuerySelectorAll("form").Single(f => f.GetAttribute("action")?.EndsWith("handler=Send", StringComparison.Ordinal) == true);
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        if (sendAs is not null)
        {
            Assert.NotNull(form.QuerySelector($"input[name=sendAs][value={sendAs}]"));
            fields["sendAs"] = sendAs;
        }

        var send = await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        if (send.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Send answered {(int)send.StatusCode}, not a redirect back to the batch.");
        }

        var after = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/Batches/Details/{batchId}"));
        return after.QuerySelector("[role=status]")?.TextContent.Trim();
    }
}
