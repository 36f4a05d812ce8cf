namespace B2BPortal.Web.Hosting;

/// <summary>
/// The portal-wide settings of section <c>Portal</c> that belong to no narrower section (those have their own options:
/// <see cref="UploadOptions"/>, <see cref="RateLimitOptions"/>, <see cref="PortalSessionOptions"/>, …). Bound and
/// validated at start-up (<see cref="PortalHost.AddPortal"/>).
/// </summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary><c>Portal:StaleAfterDays</c>: an invitation not accepted after this many days is shown as stale (README "Dashboard").</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Portal:StaleAfterDays must be a whole number of days, 1 or more (default 14).")]
    public int StaleAfterDays { get; set; } = 14;

    /// <summary><c>Portal:BehindProxy</c>: TLS ends at a reverse proxy, so X-Forwarded-Proto/Host/For are trusted (README "Behind a reverse proxy").</summary>
    public bool BehindProxy { get; set; }
}

/// <summary>The options of section <c>Portal</c> itself, bound and validated at start-up.</summary>
public static class PortalOptionsSetup
{
    /// <summary><see cref="PortalOptions"/>: an invalid value stops start-up with a message naming its key.</summary>
    public static IServiceCollection AddPortalOptions(this IServiceCollection services) =>
        services.AddValidatedOptions<PortalOptions>(PortalOptions.SectionName);

    public static IServiceCollection AddUploadOptions(this IServiceCollection services) =>
        services.AddValidatedOptions<UploadOptions>(UploadOptions.SectionName);

    /// <summary>
    /// Binds a section to its options class, checked against the class's data annotations when the portal starts: a
    /// wrong value stops start-up with a message that names the setting.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
