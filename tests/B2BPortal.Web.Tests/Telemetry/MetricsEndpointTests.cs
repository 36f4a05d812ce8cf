using B2BPortal.Web.Hosting.Telemetry;
using Microsoft.AspNetCore.Routing;

namespace B2BPortal.Web.Tests.Telemetry;

/// <summary>A portal with <c>Telemetry:Prometheus</c> on.</summary>
public sealed class PrometheusPortalFactory : PortalFactory
{
    public PrometheusPortalFactory() => With("Telemetry:Prometheus", "true");
}

public sealed class MetricsEndpointTests(PrometheusPortalFactory portal) : IClassFixture<PrometheusPortalFactory>
{
    [Fact]
    public async Task Anonymous_Metrics_IsChallengedNotServed()
    {
        using var client = portal.CreatePortalClient();
        using var response = await client.GetAsync(new Uri(TelemetrySetup.MetricsPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/oauth2/v2.0/authorize", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvitationAdminToken_Metrics_ServesThePortalMeterInPrometheusFormat()
    {
        using var client = await portal.CreateAutomationClientAsync();
        using var response = await client.GetAsync(new Uri(TelemetrySetup.MetricsPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("b2bportal_queue_depth", body, StringComparison.Ordinal);
        Assert.Contains("status=\"Queued\"", body, StringComparison.Ordinal);
    }
}

public sealed class MetricsEndpointDisabledTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public void PrometheusOff_Metrics_IsNotMapped()
    {
        var routes = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText?.TrimStart('/'));
        Assert.DoesNotContain(TelemetrySetup.MetricsPath.TrimStart('/'), routes);
    }
}
