namespace B2BPortal.Web.Hosting;

/// <summary>
/// <c>Portal:Roles</c> (docs/architecture.md decision 1): which parts of the one deployable this instance runs.
/// <c>web</c> serves pages, the API and sign-in; <c>worker</c> runs the invitation dispatcher and the redemption
/// tracker. Default both. Every instance answers <c>/healthz</c> and <c>/readyz</c>.
/// </summary>
public sealed record PortalRoles(bool Web, bool Worker)
{
    public const string Key = "Portal:Roles";

    public const string Default = "web,worker";

    /// <summary>Reads the roles; an unknown or empty list stops start-up rather than silently running nothing.</summary>
    public static PortalRoles From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Key];
        var names = (string.IsNullOrWhiteSpace(value) ? Default : value)
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !n.Equals("web", StringComparison.OrdinalIgnoreCase) && !n.Equals("worker", StringComparison.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{Key} lists unknown role(s) {string.Join(", ", unknown)}; use \"web\", \"worker\" or both (\"web,worker\").");
        }

        return new PortalRoles(
            names.Contains("web", StringComparer.OrdinalIgnoreCase),
            names.Contains("worker", StringComparer.OrdinalIgnoreCase));
    }
}
