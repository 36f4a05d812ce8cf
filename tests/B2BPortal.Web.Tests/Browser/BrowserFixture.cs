using Microsoft.Playwright;

namespace B2BPortal.Web.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One real portal (Kestrel on loopback, PostgreSQL, delivery workers on, the simulated tenant over HTTP) and one
/// headless system Chromium for every browser test; each test gets its own browser context (cookies) and signs in
/// through the simulator's OpenID Connect page like a person.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public DeliveringPortalFactory Portal { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // Short intervals so progress and acceptance show within a test's patience.
        Portal.With("Delivery:TrackerInterval", "00:00:01")
            .With("Delivery:IdleDelay", "00:00:00.200")
            .With("Delivery:BackoffBase", "00:00:00.200")
            .With("Delivery:BackoffMax", "00:00:01")
            .With("Delivery:MaxAttempts", "2")
            .With("Delivery:InvitationsPerSecond", "4")
            .With("Delivery:WorkerCount", "2")

            // Guest clean-up: one rule, so the clean-up page has something to show once a test backdates a row.
            .With("Portal:Cleanup:RemoveUnacceptedAfterDays", "30");
        await Portal.InitializeAsync();
        BaseUrl = Portal.StartOnLoopback();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // The machine's Chromium; never a downloaded browser (docs/architecture.md decision 7).
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await ((IAsyncLifetime)Portal).DisposeAsync();
    }

    /// <summary>A fresh browser context signed in as <paramref name="userPrincipalName"/> through the simulator's sign-in page.</summary>
    /// <param name="portal">Another portal than this fixture's (one with its own tenant, e.g. an empty one); this fixture's when null.</param>
    public async Task<IPage> SignInAsync(string userPrincipalName, int width = 1280, int height = 900, Uri? portal = null)
    {
        var baseUrl = portal ?? BaseUrl;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);

        // Tests have no internet: anything outside loopback (a guest's redirect to My Apps, an app's logo) fails at once
        // instead of leaving a navigation or a page close waiting on a DNS answer that never comes.
        await context.RouteAsync(
            url => Uri.TryCreate(url, UriKind.Absolute, out var target) && target.Scheme.StartsWith("http", StringComparison.Ordinal) && !target.IsLoopback,
            route => route.AbortAsync());
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        // The button reads "Sign in as Name (upn) — roles"; the parentheses keep admin@ from matching useradmin@.
        await page.GetByRole(AriaRole.Button, new() { Name = $"({userPrincipalName})" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(baseUrl.ToString(), StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Saves a full-page screenshot under the test output; B2BPORTAL_DOCS_SCREENSHOTS (a folder) also gets a copy, for the README.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        if (Environment.GetEnvironmentVariable("B2BPORTAL_DOCS_SCREENSHOTS") is { Length: > 0 } docs)
        {
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    /// <summary>Uploads a CSV through the Upload page as a person would and lands on the batch's review page.</summary>
    public static async Task UploadAsync(IPage page, string fileName, string csv)
    {
        await page.GotoAsync("/Batches/Upload");
        await page.GetByLabel("CSV file with your partners").SetInputFilesAsync(new FilePayload
        {
            Name = fileName,
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();
        await page.WaitForURLAsync("**/Batches/Details/**");
    }

    /// <summary>A 2016-format CSV with one row per address (display name derived from it).</summary>
    public static string Csv(params string[] emails) =>
        "Email,DisplayName,InviteContactUsUrl\r\n" + string.Concat(emails.Select(e => $"{e},{e.Split('@')[0]},https://contoso.example/contact\r\n"));

    public static string Unique(string local, string domain = "partner.example") => $"{local}.{Guid.NewGuid():N}"[..(local.Length + 9)] + "@" + domain;

    /// <summary>Sets the simulated tenant's Graph faults (README "The simulated tenant": PUT /_tenant/faults).</summary>
    public async Task SetFaultsAsync(object faults)
    {
        using var http = new HttpClient();
        (await http.PutAsJsonAsync($"{Portal.Tenant.BaseUrl}/_tenant/faults", faults)).EnsureSuccessStatusCode();
    }

    public async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await query(db);
    }

    /// <summary>Waits until the workers have nothing queued or in flight, so counts on a page are settled.</summary>
    public Task WaitForIdleQueueAsync() =>
        Eventually.Until(
            () => QueryAsync(db => db.Invitations
                .Where(i => (i.Status == InvitationStatus.Queued && i.NextAttemptAt == null) || i.Status == InvitationStatus.Sending)
                .Select(i => i.Email + " " + i.Status)
                .ToListAsync()),
            busy => busy.Count == 0,
            "no invitation is queued (and due) or sending",
            TimeSpan.FromSeconds(30),
            busy => string.Join(", ", busy));
}
