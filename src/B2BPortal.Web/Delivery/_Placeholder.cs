// PLACEHOLDER until branch dispatch lands: delete this file when merging.
using B2BPortal.Web.Data;

namespace B2BPortal.Web.Delivery;

public sealed record PacingState(bool IsPaused, DateTime? ThrottledUntil, string Description);

public sealed class BatchActions
{
    public Task<int> ResendAsync(Guid batchId, IReadOnlyCollection<InvitationStatus> statuses, bool resetRedemption, string actor, CancellationToken ct) => Task.FromResult(0);
    public Task<int> CancelAsync(Guid batchId, string actor, CancellationToken ct) => Task.FromResult(0);
    public Task<PacingState> GetPacingStateAsync(CancellationToken ct) => Task.FromResult(new PacingState(false, null, "Sending"));
}

public static class DeliverySetup
{
    public static IServiceCollection AddInvitationDelivery(this IServiceCollection services, IConfiguration configuration) =>
        services.AddScoped<BatchActions>();
}
