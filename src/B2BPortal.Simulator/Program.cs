using B2BPortal.Simulator;

// Standalone simulated tenant: dotnet run --project src/B2BPortal.Simulator -- --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSimulatedTenant();
var app = builder.Build();
app.MapSimulatedTenant();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        var baseUrl = url.TrimEnd('/');
        Console.WriteLine($"Simulated Entra tenant listening on {baseUrl}");
        Console.WriteLine($"  about:     {baseUrl}/_tenant/about");
        Console.WriteLine($"  authority: {baseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/v2.0");
        Console.WriteLine($"  mailbox:   {baseUrl}/_tenant/mailbox/view");
    }
});

await app.RunAsync();
