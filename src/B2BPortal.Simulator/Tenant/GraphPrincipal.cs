namespace B2BPortal.Simulator.Tenant;

/// <summary>Who a Graph request acts as: a signed-in person through an app (delegated token) or the app alone (app-only).</summary>
internal sealed record GraphPrincipal(string ClientId, string ClientDisplayName, Person? Person)
{
    public bool IsAppOnly => Person is null;

    /// <summary>The person's UPN, or the application's display name for app-only (as Entra names the inviter).</summary>
    public string Name => Person?.UserPrincipalName ?? ClientDisplayName;
}
