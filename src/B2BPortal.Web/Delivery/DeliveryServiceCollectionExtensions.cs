using B2BPortal.Web.Delivery.Email;
using B2BPortal.Web.Guests;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace B2BPortal.Web.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Invitation delivery: the Graph gateway, shared pacing, the queue, <see cref="SendingControl"/>, and — when
    /// <c>Portal:Roles</c> includes <c>worker</c> — the dispatcher, the redemption tracker and the portal's email stage. Needs the portal
    /// database (<c>AddPortalDatabase</c>).
    /// </summary>
    public static IServiceCollection AddInvitationDelivery(this IServiceCollection services, IConfiguration configuration) =>
        services.AddInvitationDelivery(PortalRoles.From(configuration));

    /// <inheritdoc cref="AddInvitationDelivery(IServiceCollection, IConfiguration)"/>
    /// <param name="roles">The roles the composition root read once (<see cref="PortalHost.AddPortal"/>).</param>
    public static IServiceCollection AddInvitationDelivery(this IServiceCollection services, PortalRoles roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        services.AddValidatedOptions<DeliveryOptions>(DeliveryOptions.SectionName);

        services.AddValidatedOptions<InvitationEmailOptions>(InvitationEmailOptions.SectionName);
        services.AddSingleton<IValidateOptions<InvitationEmailOptions>, SmtpOptionsValidation>();
        services.AddPortalClock();
        services.AddPortalMetrics();
        services.AddGraphHttpClients();
        services.AddDomainPolicy();

        // One of each per process, shared by every worker and request: they hold the tenant's pacing, the Graph client
        // and the caches of what the tenant and the batches say.
        Type[] pipeline =
        [
            typeof(TenantConnectionResolver), typeof(GraphGateway), typeof(GuestInvitePolicy), typeof(TenantPacer),
            typeof(GroupAdds), typeof(InvitationQueue), typeof(InvitationProcessor), typeof(BatchSettings),
            typeof(InvitationEmailRenderer), typeof(InvitationEmailComposer), typeof(SmtpMailTransport), typeof(GuestCleanup),
        ];
        foreach (var singleton in pipeline)
        {
            services.TryAddSingleton(singleton);
        }

        services.TryAddScoped<SendingControl>();
        services.AddBatchUseCases();
        services.AddValidatedOptions<GuestCleanupOptions>(GuestCleanupOptions.SectionName);

        if (roles.Worker)
        {
            services.AddHostedService<InvitationDispatcher>();
            services.AddHostedService<RedemptionTracker>();
            services.AddHostedService<GuestCleanupWorker>();
            services.AddSingleton<InvitationEmailSender>();
            services.AddHostedService(sp => sp.GetRequiredService<InvitationEmailSender>());
        }

        return services;
    }
}
