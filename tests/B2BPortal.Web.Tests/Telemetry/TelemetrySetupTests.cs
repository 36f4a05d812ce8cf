using B2BPortal.Web.Hosting.Telemetry;
using OpenTelemetry.Trace;

namespace B2BPortal.Web.Tests.Telemetry;

/// <summary>The exporter switch: the standard OTLP variable turns the SDK on; without any exporter there is none.</summary>
public sealed class TelemetrySetupTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPortalTelemetry(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void NoExporterConfigured_NoOpenTelemetrySdk()
    {
        using var services = Build([]);
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void OtlpEndpointSet_SdkBuildsWithTheOtlpExporter()
    {
        using var services = Build(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" });
        Assert.NotNull(services.GetService<TracerProvider>());
    }
}
