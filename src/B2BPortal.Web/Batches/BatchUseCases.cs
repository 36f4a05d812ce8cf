using Microsoft.Extensions.DependencyInjection.Extensions;

namespace B2BPortal.Web.Batches;

/// <summary>
/// What admins and automation do to a batch, one use case per file in this folder (input, checks, handler and the words
/// an admin reads), each called by both its page and its API endpoint. Registered by the web role and the worker role
/// alike (the worker's tests re-send and cancel), hence TryAdd.
/// </summary>
public static class BatchUseCases
{
    public static IServiceCollection AddBatchUseCases(this IServiceCollection services)
    {
        services.TryAddScoped<InvitationRows>();
        services.TryAddScoped<BatchStore>();
        services.TryAddScoped<UploadBatch>();
        services.TryAddScoped<InviteOne>();
        services.TryAddScoped<BatchDetails>();
        services.TryAddScoped<ListBatches>();
        services.TryAddScoped<SendBatch>();
        services.TryAddScoped<DiscardBatch>();
        services.TryAddScoped<CancelBatch>();
        services.TryAddScoped<ResendBatch>();
        return services;
    }
}
