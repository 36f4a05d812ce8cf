using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>
/// Metrics, traces and correlated logs through OpenTelemetry. OTLP follows the standard <c>OTEL_*</c> variables
/// (on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set); <c>/metrics</c> for Prometheus when <c>Telemetry:Prometheus</c> is true.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    private const string DefaultServiceName = "b2bportal";

    /// <summary>
    /// <see cref="PortalMetrics"/> and what it reads. Called by every registration whose services record metrics, so
    /// a host that composes only delivery or import (the tests, the benchmarks) still resolves them; idempotent.
    /// </summary>
    public static IServiceCollection AddPortalMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName);
        services.AddPortalClock();
        services.TryAddSingleton<QueueDepthReader>();
        services.TryAddSingleton<PortalMetrics>();
        return services;
    }

    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>()
            .Validate(o => o.QueueDepthCache >= TimeSpan.Zero, "Telemetry:QueueDepthCache must not be negative.")
            .ValidateOnStart();
        services.AddPortalMetrics();

        // Trace and span ids in every log scope: any logging provider (console JSON included) can join a log line
        // to its trace, with or without an OpenTelemetry exporter.
        services.Configure<LoggerFactoryOptions>(o =>
            o.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        // Failure of the check itself (database down) is Degraded: the database check already answers for that.
        services.AddHealthChecks().AddCheck<PacingHealthCheck>("pacing", HealthStatus.Degraded, ["ready"]);

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = (section.Get<TelemetryOptions>() ?? new TelemetryOptions()).Prometheus;
        if (!otlp && !prometheus)
        {
            // No exporter, no SDK: spans and measurements would only be recorded to be dropped.
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName))
            .WithMetrics(metrics =>
            {
                // The queue-depth gauge exists once PortalMetrics does; a web-only instance would otherwise
                // create it only at its first upload, and report no queue until then.
                metrics.AddInstrumentation(services => services.GetRequiredService<PortalMetrics>());
                metrics.AddMeter(PortalTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(PortalTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()

                // PostgreSQL commands are traced by Npgsql itself (raw SQL included); EF's spans would repeat them.
                // EF's instrumentation covers SQLite. Neither records parameter values, so no address reaches a span.
                .AddEntityFrameworkCoreInstrumentation(o => o.Filter = (provider, _) =>
                    !string.Equals(provider, NpgsqlProviderName, StringComparison.Ordinal)));
        if (otlp)
        {
            // Endpoint, protocol, headers and per-signal overrides come from the OTEL_EXPORTER_OTLP_* variables.
            telemetry.WithLogging().UseOtlpExporter();
        }

        return services;
    }

    /// <summary>
    /// <c>/metrics</c> when <see cref="TelemetryOptions.Prometheus"/> is on. It shows queue sizes, error rates and
    /// Graph's behaviour, which is not for the internet: where this instance signs people in it needs the
    /// InvitationAdmin policy like every page (a scraper uses an app token with the admin role, e.g. Prometheus'
    /// oauth2 client credentials); a worker-only instance has no sign-in, so it answers loopback callers only.
    /// </summary>
    public static WebApplication MapPortalMetrics(this WebApplication app, PortalRoles roles)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(roles);
        if (!app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            return app;
        }

        if (roles.Web)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(AuthenticationSetup.InvitationAdminPolicy);
        }
        else
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: LoopbackOnly, optionsName: null);
        }

        return app;
    }

    private const string NpgsqlProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);

    private static void LoopbackOnly(IApplicationBuilder branch) => branch.Use((context, next) =>
    {
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    });
}
