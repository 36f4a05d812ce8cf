using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using B2BPortal.Simulator;
using B2BPortal.Web.Data;
using B2BPortal.Web.Tests.Delivery;
using B2BPortal.Web.Tests.Infrastructure;

namespace B2BPortal.Benchmarks;

/// <summary>
/// What an admin and automation wait for, over HTTP (issue 14): the portal as its own process (Production, web role,
/// PostgreSQL, the simulated tenant), 1,000,000 invitations seeded as <see cref="PagesBench"/> does (19 batches of
/// 50,000, one of them still sending, and 50 of 1,000), an admin signed in through the real OpenID Connect flow and an
/// automation client with a bearer token. Each page and the status API is driven by 8 and then 64 concurrent
/// connections for <see cref="Measure"/> after <see cref="Warmup"/>; prints p50/p95/p99 and requests/s. The load
/// generator runs on the same machine, so its CPU is part of what the figures pay for.
/// </summary>
internal static class LoadBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    // Before any figure, every target is driven for this long (B2BPORTAL_LOAD_WARMUP seconds, default 5): a fresh .NET
    // process runs unoptimized code for its first seconds (tiered compilation with dynamic PGO), and a portal that
    // serves colleagues all day is not measured in its first seconds.
    private static readonly TimeSpan ProcessWarmup = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("B2BPORTAL_LOAD_WARMUP"), out var warm) && warm >= 0 ? warm : 5);
    // B2BPORTAL_LOAD_SECONDS and B2BPORTAL_LOAD_ONLY (part of a target's name) hold one target under load for longer,
    // e.g. while dotnet-trace samples the portal process (its id is printed).
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("B2BPORTAL_LOAD_SECONDS"), out var seconds) && seconds > 0 ? seconds : 8);
    private static readonly int[] Connections = [8, 16, 64];

    public static async Task RunAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("load-bench", CancellationToken.None);
        try
        {
            Console.WriteLine("load: every page and the status API over HTTP with 1,000,000 invitations");
            Console.WriteLine($"machine:  {Measurement.Machine()}");
            Console.WriteLine($"database: {server.Description}");
            (Guid Big, string Search) seeded;
            var seeding = Stopwatch.StartNew();
            await using (var services = BenchServices.Build(connectionString))
            {
                await services.MigratePortalDatabaseAsync(CancellationToken.None);
                seeded = await PagesBench.SeedAsync(services);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded:   1,000,000 invitations, 69 batches in {seeding.Elapsed.TotalSeconds:F1} s (incl. VACUUM ANALYZE)"));

            await using var tenant = await SimulatedTenantServer.StartAsync(secureAuthority: true);
            await using var portal = await PortalProcess.StartAsync(
                new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Portal"] = connectionString,
                    ["AzureAd:TenantId"] = "",
                    ["Simulation:Enabled"] = "true",
                    ["Simulation:TenantUrl"] = tenant.BaseUrl,
                    ["Simulation:TenantHttpsUrl"] = tenant.SecureBaseUrl,
                    ["Simulation:TenantCertificateSha256"] = tenant.CertificateSha256,
                    ["Portal:Roles"] = "web",

                    // What is measured is the pages, not the limiter: one client here makes every request.
                    ["Portal:RateLimits:ApiPermitsPerWindow"] = "100000000",
                },
                TimeSpan.FromMinutes(2),
                PortalDirectory());

            var cookie = await SignInAsync(portal.BaseUrl);
            var token = await AutomationTokenAsync(tenant);
            var big = seeded.Big;
            var targets = new (string Name, string Path, bool Api)[]
            {
                ("help page (sign-in + layout, no data)", "/Help", false),
                ("dashboard /", "/", false),
                ("batches list", "/Batches", false),
                ("batch page, first page (50,000 rows)", $"/Batches/Details/{big}", false),
                ("batch page, page 500", $"/Batches/Details/{big}?page=500", false),
                ("batch page, status=Failed", $"/Batches/Details/{big}?status=Failed", false),
                ("batch page, search by address", $"/Batches/Details/{big}?search={Uri.EscapeDataString(seeded.Search)}", false),
                ("GET /api/v1/batches/{id}", $"/api/v1/batches/{big}", true),
            };

            Console.WriteLine($"portal:   process {portal.Id} at {portal.BaseUrl}");
            var only = Environment.GetEnvironmentVariable("B2BPORTAL_LOAD_ONLY");
            foreach (var (_, path, api) in targets.Where(t => string.IsNullOrEmpty(only) || t.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
            {
                await DriveAsync(portal.BaseUrl, path, 16, api ? null : cookie, api ? token : null, ProcessWarmup, TimeSpan.Zero);
            }

            Console.WriteLine($"warm-up:  each target {ProcessWarmup.TotalSeconds:0} s at 16 connections, then each figure after {Warmup.TotalSeconds:0} s more, measured for {Measure.TotalSeconds:0} s");
            Console.WriteLine($"{"",-40} {"conns",5} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"req/s",8} {"errors",7} {"KB",6}");
            foreach (var connections in Connections)
            {
                foreach (var (name, path, api) in targets.Where(t => string.IsNullOrEmpty(only) || t.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
                {
                    var result = await DriveAsync(portal.BaseUrl, path, connections, api ? null : cookie, api ? token : null);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-40} {connections,5} {result.P50,8:F1} {result.P95,8:F1} {result.P99,8:F1} {result.PerSecond,8:F0} {result.Errors,7} {result.Kilobytes,6:F0}"));
                }
            }

            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }

    private sealed record Result(double P50, double P95, double P99, double PerSecond, int Errors, double Kilobytes);

    /// <summary>
    /// <paramref name="connections"/> loops, each sending the next request when the last one is answered (closed
    /// loop, like wrk). Latency is first byte to last byte read; an answer other than 200 counts as an error.
    /// </summary>
    private static async Task<Result> DriveAsync(
        string baseUrl, string path, int connections, string? cookie, string? token, TimeSpan? warmup = null, TimeSpan? measure = null)
    {
        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = connections };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var errors = 0;
        var firstError = "";
        long bytes = 0;
        var samples = new List<double>[connections];
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup ?? Warmup;
        var measureTo = measureFrom + (measure ?? Measure);
        var dump = Environment.GetEnvironmentVariable("B2BPORTAL_LOAD_DUMP");
        var loops = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var mine = samples[c] = new List<double>(4096);
            while (clock.Elapsed < measureTo)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (cookie is not null)
                {
                    request.Headers.Add("Cookie", cookie);
                }

                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                var started = clock.Elapsed;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                var took = clock.Elapsed;
                var body = await response.Content.ReadAsByteArrayAsync();
                Interlocked.Exchange(ref bytes, body.Length);
                if (!string.IsNullOrEmpty(dump))
                {
                    await File.WriteAllBytesAsync(Path.Combine(dump, $"{Uri.EscapeDataString(path)}.html"), body);
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    if (Interlocked.Increment(ref errors) == 1)
                    {
                        firstError = $"{(int)response.StatusCode} {response.Headers.Location}";
                    }
                }
                else if (started >= measureFrom && took <= measureTo)
                {
                    mine.Add((took - started).TotalMilliseconds);
                }
            }
        })).ToArray();
        await Task.WhenAll(loops);
        if (errors > 0)
        {
            Console.WriteLine($"  {path}: {errors} answer(s) other than 200, the first: {firstError}");
        }

        var all = samples.SelectMany(s => s).Order().ToArray();
        if (all.Length == 0)
        {
            return new Result(double.NaN, double.NaN, double.NaN, 0, errors, bytes / 1024.0);
        }

        double At(double q) => all[Math.Min(all.Length - 1, (int)(all.Length * q))];
        return new Result(At(0.50), At(0.95), At(0.99), all.Length / (measureTo - measureFrom).TotalSeconds, errors, bytes / 1024.0);
    }

    /// <summary>The admin's auth cookie(s) as one Cookie header, from the real sign-in flow.</summary>
    private static async Task<string> SignInAsync(string baseUrl)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies };
        using var portal = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        await OidcSignIn.RunAsync(portal, SimulatedTenantDefaults.GlobalAdminUpn);
        var header = cookies.GetCookieHeader(new Uri(baseUrl));
        using var check = new HttpRequestMessage(HttpMethod.Get, "/");
        check.Headers.Add("Cookie", header);
        using var dashboard = await portal.SendAsync(check);
        if (dashboard.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Signed in, but the dashboard answered {(int)dashboard.StatusCode}.");
        }

        return header;
    }

    private static async Task<string> AutomationTokenAsync(SimulatedTenantServer tenant)
    {
        using var http = new HttpClient();
        using var answer = await http.PostAsync(
            $"{tenant.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = SimulatedTenantDefaults.AutomationClientId,
                ["client_secret"] = SimulatedTenantDefaults.AutomationClientSecret,
                ["scope"] = SimulatedTenantDefaults.PortalApiScope,
            }));
        answer.EnsureSuccessStatusCode();
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The portal's own Release output, built with this project (src/B2BPortal.Web/bin/Release/net10.0).</summary>
    internal static string PortalDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "B2BPortal.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException("Run the load bench from the repository (B2BPortal.sln not found above the bench's folder).");
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // Release or Debug
        return Path.Combine(directory.FullName, "src", "B2BPortal.Web", "bin", configuration, "net10.0");
    }
}
