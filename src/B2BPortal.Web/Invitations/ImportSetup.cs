using B2BPortal.Web.Hosting.Telemetry;

namespace B2BPortal.Web.Invitations;

public static class ImportSetup
{
    /// <summary>Upload → stored, the review step, and the clock they read.</summary>
    public static IServiceCollection AddInvitationImport(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<BatchImporter>();
        services.AddPortalMetrics();
        services.AddScoped<BatchReview>();
        return services;
    }
}
