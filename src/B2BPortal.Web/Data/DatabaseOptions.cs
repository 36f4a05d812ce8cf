namespace B2BPortal.Web.Data;

/// <summary>Section <c>Database</c>: what the portal does with its database at start-up (<see cref="DatabaseSetup"/>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Database:MigrateOnStartup</c>: apply pending migrations when the portal starts (default true).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
