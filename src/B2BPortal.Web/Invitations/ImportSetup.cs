using B2BPortal.Web.Hosting;
using B2BPortal.Web.Hosting.Telemetry;

namespace B2BPortal.Web.Invitations;

public static class ImportSetup
{
    /// <summary>Upload → stored, the review step, and the clock they read.</summary>
    public static IServiceCollection AddInvitationImport(this IServiceCollection services)
    {
        services.AddPortalClock();
        services.AddOptions<PortalPolicyOptions>()
            .BindConfiguration(PortalPolicyOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => PortalPolicyOptions.ReadScalarLists(options, configuration))
            .Validate(o => o.IsValid(),
                "Portal:Policy: RedirectHosts entries must be host names (myapps.microsoft.com) or wildcards (*.contoso.com), and " +
                "AllowedDomains, BlockedDomains and ConsumerDomainList entries domains (contoso.com, *.contoso.com), without scheme or path.")
            .ValidateOnStart();
        services.AddScoped<BatchImporter>();
        services.AddScoped<AssignableTargets>();
        services.AddPortalMetrics();
        services.AddScoped<BatchReview>();
        services.AddScoped<AccessRequests>();
        return services;
    }
}
