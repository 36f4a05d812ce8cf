using B2BPortal.Web.Api;
using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Invitations;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddPortalDatabase(builder.Configuration, builder.Environment);
builder.Services.AddPortalAuthentication(builder.Configuration, builder.Environment);
builder.Services.AddPortalSimulation(builder.Configuration);
builder.Services.AddPortalWeb(builder.Configuration);
builder.Services.AddInvitationImport();
builder.Services.AddInvitationDelivery(builder.Configuration);

var app = builder.Build();

await app.Services.MigratePortalDatabaseAsync(app.Lifetime.ApplicationStopping);

app.UsePortalPipeline();
app.MapPortalEndpoints();
app.MapAccountEndpoints();
app.MapPortalApi();
app.LogStartupBanner();

await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
