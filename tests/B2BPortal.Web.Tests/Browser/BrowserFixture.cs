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
    /// <summary>How long Playwright's driver may take to start and Chromium to launch on a loaded machine.</summary>
    private static readonly TimeSpan LaunchLimit = TimeSpan.FromSeconds(60);

    /// <summary>How long Chromium may take to close and Playwright's driver process to exit.</summary>
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(30);

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

        // Neither call has a limit of its own (the launch timeout covers only the browser's start, not a driver that
        // stopped answering): a stall here would hold every browser test and print nothing.
        _playwright = await Playwright.CreateAsync().Within(LaunchLimit, "Playwright's driver did not start");
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // The machine's Chromium; never a downloaded browser (docs/architecture.md decision 7).
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
        }).Within(LaunchLimit, "Chromium (/usr/bin/chromium) did not launch");
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Browser is not null)
            {
                await Browser.CloseAsync().Within(CloseLimit, "Chromium did not close");
            }
        }
        finally
        {
            try
            {
                // Dispose is synchronous and waits for the driver process to exit without a limit.
                if (_playwright is { } playwright)
                {
                    await Task.Run(playwright.Dispose).Within(CloseLimit, "Playwright's driver process did not exit");
                }
            }
            finally
            {
                await ((IAsyncLifetime)Portal).DisposeAsync();
            }
        }
    }

    /// <summary>A fresh browser context signed in as <paramref name="userPrincipalName"/> through the simulator's sign-in page.</summary>
    /// <param name="portal">Another portal than this fixture's (one with its own tenant, e.g. an empty one); this fixture's when null.</param>
    public async Task<IPage> SignInAsync(string userPrincipalName, int width = 1280, int height = 900, Uri? portal = null)
    {
        var baseUrl = portal ?? BaseUrl;
        // Opening a context or page and adding a route take no timeout, not even the context's default below.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        }).Within(PageCalls.Limit, $"Chromium did not open a browser context for {userPrincipalName}");
        context.SetDefaultTimeout(15_000);

        // Tests have no internet: anything outside loopback (a guest's redirect to My Apps, an app's logo) fails at once
        // instead of leaving a navigation or a page close waiting on a DNS answer that never comes.
        await context.RouteAsync(
            url => Uri.TryCreate(url, UriKind.Absolute, out var target) && target.Scheme.StartsWith("http", StringComparison.Ordinal) && !target.IsLoopback,
            route => route.AbortAsync()).Within(PageCalls.Limit, $"Chromium did not take the loopback-only route for {userPrincipalName}'s context");
        var page = await context.NewPageAsync().Within(PageCalls.Limit, $"Chromium did not open a page for {userPrincipalName}");
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
