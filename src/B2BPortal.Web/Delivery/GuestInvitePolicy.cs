using Microsoft.Graph.Models;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// The tenant's guest invite setting (<c>authorizationPolicy.allowInvitesFrom</c>) and what it means for sending as the
/// application: Graph refuses app-only invitations unless anyone may invite (docs/graph.md "Who may invite"). Checked
/// before anything is queued, so a restricted tenant gets one clear refusal instead of one 403 per row.
/// </summary>
public sealed class GuestInvitePolicy(GraphGateway graph, TimeProvider time, ILogger<GuestInvitePolicy> logger)
{
    /// <summary>The setting changes rarely; a minute of staleness spares a Graph read per submission.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    // A reference swapped whole: submissions read it concurrently, and a two-field struct could be read half-written.
    private volatile Invitations.Cached<AllowInvitesFrom?>? _cached;

    /// <summary>Throws <see cref="SubmissionRefusedException"/> when Graph would refuse invitations sent as the application.</summary>
    public async Task EnsureAppOnlyMayInviteAsync(CancellationToken ct)
    {
        if (RefusalFor(await ReadAsync(ct)) is { } refusal)
        {
            throw new SubmissionRefusedException(refusal);
        }
    }

    /// <summary>Why app-only invitations cannot work under <paramref name="setting"/>, or null when they can (or it is unknown).</summary>
    public static string? RefusalFor(AllowInvitesFrom? setting) => setting switch
    {
        null or AllowInvitesFrom.Everyone => null,
        _ =>
            $"Nothing was queued: this tenant's guest invite setting is \"{Describe(setting.Value)}\" (allowInvitesFrom = {Name(setting.Value)}), " +
            "and Microsoft Graph refuses invitations sent as an application under it. " +
            "Fix: in the Entra admin center › External Identities › External collaboration settings › Guest invite settings, choose " +
            "\"Anyone in the organization can invite guest users including guests and non-admins\" — or keep the setting and invite these guests " +
            "from the Entra admin center until the portal sends as the signed-in admin.",
    };

    private async Task<AllowInvitesFrom?> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now - cached.At < CacheFor)
        {
            return cached.Value;
        }

        var read = await graph.GetAllowInvitesFromAsync(ct);
        if (read.Failure is not null)
        {
            // Unknown (no Policy.Read.All consent, Graph down): don't block; the rows themselves will say what Graph answers.
            logger.GuestInvitePolicyUnreadable(read.Failure.GetType().Name);
            return null;
        }

        _cached = new Invitations.Cached<AllowInvitesFrom?>(read.Value, now);
        return read.Value;
    }

    private static string Describe(AllowInvitesFrom setting) => setting switch
    {
        AllowInvitesFrom.AdminsGuestInvitersAndAllMembers => "Member users and users assigned to specific admin roles can invite guest users",
        AllowInvitesFrom.AdminsAndGuestInviters => "Only users assigned to specific admin roles can invite guest users",
        AllowInvitesFrom.None => "No one in the organization can invite guest users",
        _ => Name(setting),
    };

    private static string Name(AllowInvitesFrom setting) => setting switch
    {
        AllowInvitesFrom.Everyone => "everyone",
        AllowInvitesFrom.AdminsGuestInvitersAndAllMembers => "adminsGuestInvitersAndAllMembers",
        AllowInvitesFrom.AdminsAndGuestInviters => "adminsAndGuestInviters",
        AllowInvitesFrom.None => "none",
        _ => setting.ToString(),
    };
}

/// <summary>A submission the tenant's settings would make fail for every row; nothing was queued or stored.</summary>
public sealed class SubmissionRefusedException(string message) : Exception(message);
