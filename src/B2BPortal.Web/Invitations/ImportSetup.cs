using B2BPortal.Web.Hosting.Telemetry;

namespace B2BPortal.Web.Invitations;

public static class ImportSetup
{
    /// <summary>Upload → stored, the review step, and the clock they read.</summary>
    public static IServiceCollection AddInvitationImport(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<PortalPolicyOptions>()
            .BindConfiguration(PortalPolicyOptions.SectionName)
            .Validate(o => o.IsValid(), "Portal:Policy:RedirectHosts: each entry must be a host name (myapps.microsoft.com) or a wildcard (*.contoso.com), without scheme or path.")
            .ValidateOnStart();
        services.AddScoped<BatchImporter>();
        services.AddPortalMetrics();
        services.AddScoped<BatchReview>();
        return services;
    }
}
