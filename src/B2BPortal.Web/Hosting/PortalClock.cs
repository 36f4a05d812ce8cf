using Microsoft.Extensions.DependencyInjection.Extensions;

namespace B2BPortal.Web.Hosting;

/// <summary>The one <see cref="TimeProvider"/> every part of the portal reads.</summary>
public static class PortalClock
{
    /// <summary>
    /// Registers the system clock unless a clock is registered already: each part that reads the time calls this, so a
    /// host composing only some parts still has one, and a test's clock (registered first) is the one all of them read.
    /// </summary>
    public static IServiceCollection AddPortalClock(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
