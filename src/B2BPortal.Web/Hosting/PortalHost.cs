using B2BPortal.Web.Api;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// The composition root (the shape of dotnet/eShop's <c>AddApplicationServices</c>): everything the portal registers,
/// its start-up work, its middleware and its endpoints, chosen once by <see cref="PortalRoles"/>
/// (docs/architecture.md decision 1). Program.cs only calls these.
/// </summary>
public static class PortalHost
{
    /// <summary>
    /// Reads <c>Portal:Roles</c> once (registered as a singleton for <see cref="UsePortal"/> and <see cref="MapPortal"/>)
    /// and registers the services of those roles, with every options class bound and validated at start-up.
    /// </summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var roles = PortalRoles.From(builder.Configuration);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(roles);
        services.AddPortalClock();
        services.AddPortalOptions();

        SimulatedAuthority.AddInProcessListener(builder); // dotnet run: the in-process simulator's HTTPS authority
        services.AddPortalDatabase(configuration, builder.Environment);
        services.AddPortalSimulation(configuration, builder.Environment);
        services.AddPortalHealth();
        services.AddPortalTelemetry(configuration);
        if (roles.Web)
        {
            services.AddPortalAuthentication(configuration);
            services.AddPortalWeb();
            services.AddInvitationImport();
        }
        else
        {
            services.AddPortalTokenAcquisition(configuration); // sending as an admin needs no sign-in pipeline
        }

        services.AddInvitationDelivery(roles); // the dispatcher and tracker only with the worker role
        return builder;
    }

    /// <summary>
    /// What runs once before the portal answers: the key-protection warning, migrations, and the simulated tenant's
    /// assignable groups and apps (a real tenant's list starts empty).
    /// </summary>
    public static async Task<WebApplication> PreparePortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.WarnWhenKeysUnprotected(); // outside Development, keys without a certificate are worth a warning
        await app.Services.MigratePortalDatabaseAsync(app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        await AssignableTargets.SeedSimulatedTenantAsync(app.Services, app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        return app;
    }

    /// <summary>The middleware of this instance's roles (<see cref="WebSetup.UsePortalPipeline"/>).</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UsePortalPipeline(app.Services.GetRequiredService<PortalRoles>());
    }

    /// <summary>Health, metrics and — with the web role — pages, sign-in and API v1; then the start-up banner.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var roles = app.Services.GetRequiredService<PortalRoles>();
        app.MapPortalHealth();
        app.MapPortalMetrics(roles);
        if (roles.Web)
        {
            app.MapPortalEndpoints();
            app.MapAccountEndpoints();
            app.MapApiV1();
        }

        app.LogStartupBanner();
        return app;
    }
}
