namespace B2BPortal.Web.Invitations;

public static class ImportSetup
{
    /// <summary>Upload → stored (the batch use cases), the review step, and the clock they read.</summary>
    public static IServiceCollection AddInvitationImport(this IServiceCollection services)
    {
        services.AddPortalClock();
        services.AddDomainPolicy();
        services.AddScoped<PolicySettings>();
        services.AddScoped<AssignableTargets>();
        services.AddPortalMetrics();
        services.AddBatchUseCases();
        services.AddScoped<AccessRequests>();
        services.AddSingleton<PendingRequestCount>();
        services.AddScoped<PreapprovedDomains>();
        return services;
    }

    /// <summary>
    /// The domain policy in force (configuration overlaid with the settings page, plus the tenant's verified domains): read
    /// at upload and by the dispatcher just before sending, so both the web and the worker role register it.
    /// </summary>
    public static IServiceCollection AddDomainPolicy(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(PolicySource)))
        {
            return services;
        }

        services.AddOptions<PortalPolicyOptions>()
            .BindConfiguration(PortalPolicyOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => PortalPolicyOptions.ReadScalarLists(options, configuration))
            .Validate(o => o.IsValid(),
                "Portal:Policy: RedirectHosts entries must be host names (myapps.microsoft.com) or wildcards (*.contoso.com), and " +
                "AllowedDomains, BlockedDomains and ConsumerDomainList entries domains (contoso.com, *.contoso.com), without scheme or path.")
            .ValidateOnStart();
        services.AddSingleton<TenantDomains>();
        services.AddSingleton<PolicySource>();
        return services;
    }
}
