using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Invitations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Benchmarks;

/// <summary>The portal's own registrations (database, import, delivery services without workers) on a bench database.</summary>
internal static class BenchServices
{
    public static ServiceProvider Build(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Portal"] = connectionString,
                ["AzureAd:TenantId"] = "",
                ["Simulation:TenantUrl"] = "http://127.0.0.1:9",
                ["Portal:Roles"] = "web",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddMemoryCache();
        services.AddPortalDatabase(configuration, new BenchEnvironment());
        services.Configure<UploadOptions>(_ => { });
        services.AddInvitationImport();
        services.AddInvitationDelivery(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class BenchEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "B2BPortal.Benchmarks";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
