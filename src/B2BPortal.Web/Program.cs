// The composition root is Hosting/PortalHost.cs: services, start-up work, middleware and endpoints by Portal:Roles.
var builder = WebApplication.CreateBuilder(args);
builder.AddPortal();

var app = builder.Build();
await app.PreparePortalAsync();
app.UsePortal();
app.MapPortal();

await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
