using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Identity.Web;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// Abuse limits (issue 11), per client: a fixed window of API calls, and a concurrency limit on uploads (the Upload
/// page and <c>POST /api/v1/batches</c>), since each upload holds its file's rows in memory while it is read. A refused
/// request gets <c>429</c> with <c>Retry-After</c> and problem details saying when to retry.
/// </summary>
public static class RateLimitSetup
{
    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.SectionName);

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteRejectionAsync;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Only(IsApiCall, context =>
                {
                    var limits = Limits(context);
                    return RateLimitPartition.GetFixedWindowLimiter("api|" + ClientKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.ApiPermitsPerWindow,
                        Window = limits.ApiWindow,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
                }),
                Only(IsUpload, context => RateLimitPartition.GetConcurrencyLimiter("upload|" + ClientKey(context), _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = Limits(context).ConcurrentUploads,
                    QueueLimit = 0,
                })));
        });
        return services;
    }

    /// <summary>
    /// Who is counted: a person by object id (cookie), an automation client by its client id (bearer: azp/appid), and
    /// anyone not signed in by remote address.
    /// </summary>
    internal static string ClientKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            if (AuthenticationSetup.HasBearerToken(context.Request)
                && (user.FindFirst("azp")?.Value ?? user.FindFirst("appid")?.Value) is { Length: > 0 } client)
            {
                return "client:" + client;
            }

            if (user.GetObjectId() is { Length: > 0 } objectId)
            {
                return "user:" + objectId;
            }
        }

        return "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    internal static bool IsApiCall(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>The two ways to upload a file: the Upload page's post and the API's.</summary>
    internal static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (IsPath(request.Path, "/api/v1/batches") || IsPath(request.Path, "/Batches/Upload"));

    /// <summary>A limiter for the requests <paramref name="applies"/> picks; every other request passes it unlimited.</summary>
    private static PartitionedRateLimiter<HttpContext> Only(Func<HttpRequest, bool> applies, Func<HttpContext, RateLimitPartition<string>> limit) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => applies(context.Request) ? limit(context) : RateLimitPartition.GetNoLimiter(""));

    private static bool IsPath(PathString path, string expected) =>
        path.StartsWithSegments(expected, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest.Value == "/");

    private static RateLimitOptions Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var limits = Limits(context);
        var windowFull = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var wait = windowFull ? retryAfter : limits.UploadRetryAfter;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var at = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(seconds);
        var when = string.Create(CultureInfo.InvariantCulture, $"Retry after {Plural.Of(seconds, "second")} (at {at:HH:mm:ss} UTC)");
        var detail = windowFull
            ? $"This client made {Plural.Of(limits.ApiPermitsPerWindow, "API call")} within {Describe(limits.ApiWindow)}, the most the portal takes from one client. {when}."
            : $"This client already has {Plural.Of(limits.ConcurrentUploads, "upload")} in progress, the most the portal takes from one client at once. {when}, once an upload has finished.";

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = detail,
            },
        });
        if (!written)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(detail, ct);
        }
    }

    private static string Describe(TimeSpan window) =>
        window == TimeSpan.FromMinutes(1) ? "a minute"
        : window.TotalMinutes >= 1 && window.TotalMinutes == Math.Floor(window.TotalMinutes) ? Plural.Of((long)window.TotalMinutes, "minute")
        : Plural.Of((long)Math.Ceiling(window.TotalSeconds), "second");
}
