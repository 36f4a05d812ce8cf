using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using B2BPortal.Simulator.Tenant;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace B2BPortal.Simulator;

/// <summary>
/// A simulated tenant on its own Kestrel listener (127.0.0.1, a free port) for tests. With HTTPS it creates a
/// self-signed certificate that clients pin through <see cref="Certificate"/>.
/// </summary>
public sealed class SimulatedTenantServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatedTenantServer(WebApplication app, string baseUrl, X509Certificate2? certificate)
    {
        _app = app;
        BaseUrl = baseUrl;
        Certificate = certificate;
        Tenant = app.Services.GetRequiredService<SimulatedTenant>();
    }

    /// <summary>Scheme, host and port without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; }

    public SimulatedTenant Tenant { get; }

    /// <summary>The server's self-signed certificate (public part only) when started with HTTPS.</summary>
    public X509Certificate2? Certificate { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<SimulatedTenantServer> StartAsync(bool https = false, Action<SimulatorOptions>? configure = null)
    {
        // An empty builder: no appsettings, environment variables or command line of the calling test host leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.Services.AddSimulatedTenant(configure);

        X509Certificate2? serverCertificate = null;
        if (https)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            serverCertificate = CreateCertificate();
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(serverCertificate);
            }
        }));

        var app = builder.Build();
        app.UseRouting();
        app.MapSimulatedTenant();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = address.TrimEnd('/');
        var publicCertificate = serverCertificate is null ? null : X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
        return new SimulatedTenantServer(app, baseUrl, publicCertificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate?.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Simulated Entra tenant", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
