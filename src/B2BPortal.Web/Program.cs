using B2BPortal.Web.Api;
using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Hosting.Telemetry;
using B2BPortal.Web.Invitations;

var builder = WebApplication.CreateBuilder(args);
var roles = PortalRoles.From(builder.Configuration);
SimulatedAuthority.AddInProcessListener(builder); // dotnet run: the in-process simulator's HTTPS authority

builder.Services.AddPortalDatabase(builder.Configuration, builder.Environment);
builder.Services.AddPortalSimulation(builder.Configuration, builder.Environment);
builder.Services.AddPortalHealth();
builder.Services.AddPortalTelemetry(builder.Configuration);
if (roles.Web)
{
    builder.Services.AddPortalAuthentication(builder.Configuration);
    builder.Services.AddPortalWeb(builder.Configuration);
    builder.Services.AddInvitationImport();
}
else
{
    builder.Services.AddPortalTokenAcquisition(builder.Configuration); // sending as an admin needs no sign-in pipeline
}

builder.Services.AddInvitationDelivery(builder.Configuration); // the dispatcher and tracker only with the worker role

var app = builder.Build();
app.Services.WarnWhenKeysUnprotected(); // outside Development, keys without a certificate are worth a warning

await app.Services.MigratePortalDatabaseAsync(app.Lifetime.ApplicationStopping);
await AssignableTargets.SeedSimulatedTenantAsync(app.Services, app.Lifetime.ApplicationStopping); // a real tenant's list starts empty

app.UsePortalPipeline(roles);
app.MapPortalHealth();
app.MapPortalMetrics(roles);
if (roles.Web)
{
    app.MapPortalEndpoints();
    app.MapAccountEndpoints();
    app.MapPortalApi();
    app.MapAccessRequestsApi();
}

app.LogStartupBanner();

await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
