using B2BPortal.Simulator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace B2BPortal.Web.Hosting;

/// <summary>Razor Pages, problem details, OpenAPI, health, request limits and the middleware order.</summary>
public static class WebSetup
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UploadOptions>(configuration.GetSection(UploadOptions.SectionName));
        var upload = configuration.GetSection(UploadOptions.SectionName).Get<UploadOptions>() ?? new UploadOptions();

        services.AddRazorPages();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = "X-CSRF-TOKEN";
            options.Cookie.Name = "B2BPortal.Antiforgery";
        });
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOpenApi("v1");
        services.Configure<FormOptions>(options =>
        {
            options.MultipartBodyLengthLimit = upload.MaxFileBytes + UploadOptions.FormOverheadBytes;
            options.ValueLengthLimit = 64 * 1024;
        });
        return services;
    }

    /// <summary>What every instance has, whatever its <see cref="PortalRoles"/>: health checks and problem details for errors.</summary>
    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
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
            services.AddSimulatedTenant();
        }

        return services;
    }

    /// <summary>The middleware order; a worker-only instance keeps error handling and routing (health) only.</summary>
    public static WebApplication UsePortalPipeline(this WebApplication app, PortalRoles roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (app.Configuration.GetValue("Portal:BehindProxy", false))
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

        app.UseExceptionHandler(errors => errors.Run(WriteUnhandledErrorAsync));
        app.UseStatusCodePages();
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

        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status == 500 ? "Something went wrong on our side." : "The request could not be processed.",
                Detail = status == 500
                    ? "The error was logged. Nothing you uploaded was half-stored; try again, and if it persists tell your portal operator the time of the error."
                    : feature?.Error.Message,
            },
        });
    }
}
