using System.Net;
using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace B2BPortal.Web.Delivery;

/// <summary>
/// The HTTP clients <see cref="GraphGateway"/> uses, from <see cref="IHttpClientFactory"/>: Graph's own pipeline
/// (without its retry handler: it would re-send <c>POST /invitations</c> after a 503 or timeout) with the portal's
/// request meter, and a plain client for the simulated tenant's token endpoint.
/// </summary>
/// <remarks>
/// The gateway keeps one client for the process, so handlers are not rotated (<c>SetHandlerLifetime</c> infinite);
/// connections are renewed every two minutes instead, which is what picks up DNS changes. The factory's request
/// logging is removed: two lines per Graph call add nothing to the gateway's metrics, and Graph URLs carry guests'
/// addresses in their filters (.NET redacts query strings in that log today; removing it does not depend on that).
/// </remarks>
public static class GraphHttpClients
{
    public const string Graph = "Graph";
    public const string Token = "GraphToken";

    public static IServiceCollection AddGraphHttpClients(this IServiceCollection services)
    {
        services.AddHttpClient(Graph)
            .ConfigurePrimaryHttpMessageHandler(Primary)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
            {
                foreach (var handler in GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler))
                {
                    handlers.Add(handler);
                }

                if (sp.GetService<PortalMetrics>() is { } metrics)
                {
                    // Last = innermost: one measurement per HTTP request sent.
                    handlers.Add(new GraphRequestMeter(metrics, sp.GetRequiredService<TimeProvider>()));
                }
            })
            .RemoveAllLoggers();
        services.AddHttpClient(Token)
            .ConfigurePrimaryHttpMessageHandler(Primary)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        return services;
    }

    /// <summary>As Graph's own factory makes it: redirects are the pipeline's (RedirectHandler), not the socket's.</summary>
    private static SocketsHttpHandler Primary() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };
}
