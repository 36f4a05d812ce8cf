using B2BPortal.Web.Delivery;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>The portal's Graph HTTP clients (<see cref="GraphHttpClients"/>) for a gateway a test builds by hand.</summary>
internal static class GraphHttp
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddGraphHttpClients().BuildServiceProvider();

    public static IHttpClientFactory Clients => Services.GetRequiredService<IHttpClientFactory>();
}
