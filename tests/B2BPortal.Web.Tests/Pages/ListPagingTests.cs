using AngleSharp.Html.Parser;

namespace B2BPortal.Web.Tests.Pages;

/// <summary>
/// The paged lists read their page number from the query string. Razor Pages also keeps the page's path in a route value
/// named "page", which model binding reads first: a bound property named "page" always showed page 1.
/// </summary>
public sealed class ListPagingTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Batches_SecondPage_ShowsOlderBatches()
    {
        await SeedAsync(db =>
        {
            var now = DateTime.UtcNow;
            db.Batches.AddRange(Enumerable.Range(0, B2BPortal.Web.Pages.Batches.IndexModel.PageSize + 1).Select(i => new Batch
            {
                FileName = $"paging-{i:D2}.csv",
                Sha256 = new string('0', 64),
                UploadedBy = "paging@contoso.com",
                UploadedAt = now.AddMinutes(-i),
            }));
        });
        var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var first = new HtmlParser().ParseDocument(await client.GetStringAsync("/Batches"));
        var second = new HtmlParser().ParseDocument(await client.GetStringAsync("/Batches?page=2"));

        Assert.StartsWith("Page 1 of ", first.QuerySelector("span.page-link")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("Page 2 of ", second.QuerySelector("span.page-link")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("paging-00.csv", first.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("paging-00.csv", second.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_SecondPage_ShowsOlderEntries()
    {
        var now = DateTime.UtcNow.AddYears(1);
        await SeedAsync(db =>
        {
            for (var i = 0; i <= B2BPortal.Web.Pages.Audit.IndexModel.PageSize; i++)
            {
                db.Audit(now.AddMinutes(-i), "paging@contoso.com", "PagingCheck", $"entry {i:D2}");
            }
        });
        var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var second = new HtmlParser().ParseDocument(await client.GetStringAsync("/Audit?action=PagingCheck&page=2"));

        Assert.Equal("Page 2", second.QuerySelector("span.page-link")!.TextContent.Trim());
        Assert.Contains($"entry {B2BPortal.Web.Pages.Audit.IndexModel.PageSize:D2}", second.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("entry 00", second.Body!.TextContent, StringComparison.Ordinal);
    }

    private async Task SeedAsync(Action<PortalDbContext> add)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        add(db);
        await db.SaveChangesAsync();
    }
}
