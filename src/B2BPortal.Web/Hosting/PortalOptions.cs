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
    public static IServiceCollection AddPortalOptions(this IServiceCollection services)
    {
        services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary><see cref="UploadOptions"/> (<c>Portal:Upload</c>): an invalid limit stops start-up with a message naming its key.</summary>
    public static IServiceCollection AddUploadOptions(this IServiceCollection services)
    {
        services.AddOptions<UploadOptions>()
            .BindConfiguration(UploadOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
