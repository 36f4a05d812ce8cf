namespace B2BPortal.Web.Delivery;

/// <summary>What admins (pages) and automation (API) do to the tenant's sending as a whole (a batch's own actions are in Batches/); audited.</summary>
public sealed class SendingControl(IDbContextFactory<PortalDbContext> dbFactory, TenantPacer pacer, TimeProvider time)
{
    /// <summary>Lifts the abuse-block pause: an admin's decision, never automatic.</summary>
    public async Task ResumeTenantAsync(string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var wasPaused = await pacer.ResumeAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit(time.GetUtcNow().UtcDateTime, actor, "Resumed", wasPaused ? "Invitation sending resumed." : "Resume requested; sending was not paused.");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>For the admin banner: sending, throttled until a time, or paused with Graph's reason.</summary>
    public Task<PacingState> GetPacingStateAsync(CancellationToken ct) => pacer.GetStateAsync(ct);
}
