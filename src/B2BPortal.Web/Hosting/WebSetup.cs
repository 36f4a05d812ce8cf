using B2BPortal.Simulator;
using B2BPortal.Web.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace B2BPortal.Web.Hosting;

/// <summary>Razor Pages, problem details, OpenAPI, health, request limits and the middleware order.</summary>
public static partial class WebSetup
{
    private const string UnsupportedMediaTypeDetail =
        "Unsupported Content-Type: send a file upload as multipart/form-data with the field 'file' " +
        "(curl -F file=@partners.csv …) and other calls as application/json; see /openapi/v1.json.";

    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddUploadOptions();

        services.AddRazorPages();
        services.AddMemoryCache();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = "X-CSRF-TOKEN";
            options.Cookie.Name = "B2BPortal.Antiforgery";
        });
        // Routing answers a wrong Content-Type with a bare 415 before any handler runs; say how to send it.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= UnsupportedMediaTypeDetail;
            }
            else if (AuthenticationSetup.IsApiRequest(context.HttpContext.Request))
            {
                context.ProblemDetails.Detail ??= ExplainApiStatus(context.HttpContext.Request, context.ProblemDetails.Status);
            }
        });

        // Binding failures become exceptions in every environment, so WriteUnhandledErrorAsync can say what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());

            // No request takes a number, and the web default (numbers also read from strings) makes every integer in
            // the OpenAPI document "integer or string", which generators turn into composed types.
            options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.AddPortalOpenApi();
        services.AddPortalRateLimits();
        services.AddOptions<FormOptions>().Configure<IOptions<UploadOptions>>((options, upload) =>
        {
            options.MultipartBodyLengthLimit = upload.Value.MaxFileBytes + UploadOptions.FormOverheadBytes;
            options.ValueLengthLimit = 64 * 1024;
        });
        return services;
    }

    /// <summary>What every instance has, whatever its <see cref="PortalRoles"/>: health checks and problem details for errors.</summary>
    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        // The error handler needs problem details in a worker-only instance too; AddPortalWeb adds the API's wording.
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>The tenant connection every role needs (sign-in for web, Graph for worker), and the in-process simulator when configured.</summary>
    public static IServiceCollection AddPortalSimulation(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        TenantConnectionResolver.EnsureTenantConfigured(configuration, environment);
        services.TryAddSingleton(new TenantConnectionResolver(configuration));
        if (TenantConnectionResolver.HostsSimulatorInProcess(configuration))
        {
            var tenant = TenantConnectionResolver.Resolve(configuration);
            services.AddSimulatedTenant(options =>
            {
                // Browsers stay on the portal's plain-HTTP address; issuer, tokens and keys move to the HTTPS listener.
                options.SecureBaseUrl = tenant.SecureAuthority?.SecureBaseUrl;
                options.SecureCertificateSha256 = tenant.SecureAuthority?.CertificateSha256;
                options.BrowserBaseUrl = tenant.Instance[..tenant.Instance.LastIndexOf("/_tenant", StringComparison.Ordinal)];
            });
        }

        return services;
    }

    /// <summary>The middleware order; a worker-only instance keeps error handling and routing (health) only.</summary>
    public static WebApplication UsePortalPipeline(this WebApplication app, PortalRoles roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.BehindProxy)
        {
            // TLS ends at the reverse proxy: sign-in must build https redirect URIs from X-Forwarded-Proto/Host.
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteUnhandledErrorAsync,

            // A caller's bad request is answered with a 400 that says why; it is not a server error to log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException or AntiforgeryValidationException or SubmissionRefusedException
                || IsUnknownCharset(context.Exception),
        });
        app.UseStatusCodePages();
        app.Use(SecurityHeadersAsync);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        if (!roles.Web)
        {
            app.UseRouting();
            return app;
        }

        app.UseMiddleware<RequestSizeGuard>();
        app.UseRouting();
        app.UseAuthentication();

        // After authentication, so a client is counted by who it is (object id or client id), not only by address.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// /healthz, /readyz and — when this process hosts it — the simulated tenant (a worker's Graph calls go there).
    /// </summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        if (TenantConnectionResolver.HostsSimulatorInProcess(app.Configuration))
        {
            app.MapSimulatedTenant();
        }

        app.MapHealthChecks("/healthz", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    public static WebApplication MapPortalEndpoints(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapOpenApi();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// The web defaults a security review expects, on the portal's own answers (the simulated tenant's pages keep theirs:
    /// its form_post sign-in answer needs an inline script). No inline script anywhere in the portal; inline style
    /// attributes stay allowed for the progress bars and the email previews; images from https for app logos.
    /// </summary>
    private static Task SecurityHeadersAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/_tenant"))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
                "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
        }

        return next(context);
    }

    private static async Task WriteUnhandledErrorAsync(HttpContext context)
    {
        // Never a bare 500 page with a stack trace: API callers get problem details, people the error page.
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var status = feature?.Error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        if (feature?.Error is AntiforgeryValidationException)
        {
            status = StatusCodes.Status400BadRequest;
        }

        if (IsUnknownCharset(feature?.Error))
        {
            status = StatusCodes.Status415UnsupportedMediaType;
        }

        if (feature?.Error is SubmissionRefusedException)
        {
            // The tenant's settings, not the request, stand in the way: the same call succeeds once they change.
            status = StatusCodes.Status409Conflict;
        }

        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status switch
                {
                    500 => "Something went wrong on our side.",
                    409 => "The tenant's settings refuse this.",
                    _ => "The request could not be processed.",
                },
                Detail = status == 500
                    ? "The error was logged. Nothing you uploaded was half-stored; try again, and if it persists tell your portal operator the time of the error."
                    : Explain(feature?.Error),
            },
        });
    }

    /// <summary>
    /// What to change when no handler wrote a detail: the answers of routing (404, 405) and of authentication (401, 403)
    /// to an API call.
    /// </summary>
    private static string? ExplainApiStatus(HttpRequest request, int? status) => status switch
    {
        StatusCodes.Status401Unauthorized =>
            "Sign in first: send an access token for the portal's API (Authorization: Bearer …, from client credentials with " +
            "the scope api://<portal client id>/.default), or the portal's sign-in cookie with the X-CSRF-TOKEN header.",
        StatusCodes.Status403Forbidden =>
            "The caller is signed in but may not use the API: an application needs the portal's app role Invitations.Send, " +
            "a person one of the portal's directory roles.",
        StatusCodes.Status404NotFound when NotAGuidSegment(request.Path) is { } segment =>
            $"'{segment}' is not a batch id: batch ids are GUIDs, as in the id that POST /api/v1/batches answered.",
        StatusCodes.Status404NotFound => $"There is no API operation at {request.Path}; see /openapi/v1.json for the operations.",
        StatusCodes.Status405MethodNotAllowed =>
            $"{request.Method} is not an operation of {request.Path}; see /openapi/v1.json for the methods it takes.",
        _ => null,
    };

    /// <summary>The segment after /api/v1/batches/ when it is not a GUID (routing then finds no endpoint).</summary>
    private static string? NotAGuidSegment(PathString path)
    {
        if (!path.StartsWithSegments("/api/v1/batches", StringComparison.OrdinalIgnoreCase, out var rest) || !rest.HasValue)
        {
            return null;
        }

        var segment = rest.Value!.TrimStart('/').Split('/')[0];
        return segment.Length == 0 || Guid.TryParse(segment, out _) ? null : segment;
    }

    /// <summary>"Failed to bind parameter "int? page" from "abc"." — what routing says when a query or route value does not convert.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" from \"(?<value>.*)\"\\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    private static string? ExplainBindFailure(string message)
    {
        var match = BindFailure().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var type = match.Groups["type"].Value;
        var expected =
            type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) ? "a whole number"
            : type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? "true or false"
            : type.Contains("guid", StringComparison.OrdinalIgnoreCase) ? "a GUID"
            : "a value of the documented type";
        var value = match.Groups["value"].Value;
        if (value.Length > 100)
        {
            value = value[..100] + "…";
        }

        return $"The parameter '{match.Groups["name"].Value}' must be {expected}, not '{value}'; see /openapi/v1.json.";
    }

    /// <summary>
    /// A JSON body whose Content-Type names a charset .NET has no encoding for: the framework's JSON reader throws this
    /// (not a BadHttpRequestException) before any handler runs. It is the caller's Content-Type, so a 415.
    /// </summary>
    private static bool IsUnknownCharset(Exception? error) =>
        error is InvalidOperationException { InnerException: ArgumentException } invalid
        && invalid.Message.Contains("charset", StringComparison.Ordinal);

    /// <summary>What was wrong with the request, in words that name the field and do not expose our type names.</summary>
    private static string? Explain(Exception? error) => error switch
    {
        BadHttpRequestException { InnerException: JsonException json } when json.Path is { Length: > 1 } path =>
            $"The JSON body could not be read: the value at '{path}' has the wrong type or is not one of the allowed values. " +
            "Text fields take strings, sendEmail and resetRedemption take true or false, statuses take names like \"Failed\"; " +
            "see /openapi/v1.json.",
        BadHttpRequestException { InnerException: JsonException } =>
            "The request body is not the JSON object this call expects; see /openapi/v1.json.",
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => UnsupportedMediaTypeDetail,
        SubmissionRefusedException refused => refused.Message,
        _ when IsUnknownCharset(error) =>
            "The charset in the Content-Type is not an encoding the portal knows: send JSON as UTF-8 (Content-Type: application/json; charset=utf-8).",
        BadHttpRequestException bad when ExplainBindFailure(bad.Message) is { } explained => explained,
        BadHttpRequestException bad when bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
            "This call needs a JSON body (Content-Type: application/json); see /openapi/v1.json.",
        _ => error?.Message,
    };
}
