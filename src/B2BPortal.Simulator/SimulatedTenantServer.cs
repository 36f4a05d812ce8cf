using System.Net;
using System.Security.Cryptography.X509Certificates;
using B2BPortal.Simulator.Tenant;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace B2BPortal.Simulator;

/// <summary>
/// A simulated tenant on its own Kestrel listener (127.0.0.1, a free port) for tests. With HTTPS it creates a
/// self-signed certificate that clients pin through <see cref="Certificate"/>. With a secure authority it listens on
/// both: plain HTTP for browsers (<see cref="BaseUrl"/>) and HTTPS for the issuer, tokens and keys
/// (<see cref="SecureBaseUrl"/>), as the portal's token acquisition (MSAL) needs.
/// </summary>
public sealed class SimulatedTenantServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatedTenantServer(WebApplication app, string baseUrl, string? secureBaseUrl, X509Certificate2? certificate)
    {
        _app = app;
        BaseUrl = baseUrl;
        SecureBaseUrl = secureBaseUrl;
        Certificate = certificate;
        Tenant = app.Services.GetRequiredService<SimulatedTenant>();
    }

    /// <summary>Scheme, host and port without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; }

    /// <summary>The HTTPS listener's base (e.g. https://127.0.0.1:41235) when started with a secure authority or HTTPS.</summary>
    public string? SecureBaseUrl { get; }

    public SimulatedTenant Tenant { get; }

    /// <summary>The server's self-signed certificate (public part only) when it has an HTTPS listener.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>What a client pins: hex SHA-256 of <see cref="Certificate"/>.</summary>
    public string? CertificateSha256 => Certificate is null ? null : SimulatorCertificate.Sha256(Certificate);

    public IServiceProvider Services => _app.Services;

    /// <summary>The loopback port of the tenant's SMTP sink (the portal's SMTP transport delivers into the mailbox there).</summary>
    public int SmtpPort => _app.Services.GetRequiredService<SmtpSink>().Port ?? 0;

    /// <param name="https">Only an HTTPS listener: <see cref="BaseUrl"/> is HTTPS.</param>
    /// <param name="configure">Start-up settings of the tenant.</param>
    /// <param name="secureAuthority">A plain HTTP listener for browsers plus an HTTPS one that is the authority (issuer, token, keys).</param>
    public static async Task<SimulatedTenantServer> StartAsync(bool https = false, Action<SimulatorOptions>? configure = null, bool secureAuthority = false)
    {
        // An empty builder: no appsettings, environment variables or command line of the calling test host leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.Services.AddSimulatedTenant(configure);

        X509Certificate2? serverCertificate = null;
        if (https || secureAuthority)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            serverCertificate = SimulatorCertificate.Create();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (https)
                {
                    listen.UseHttps(serverCertificate!);
                }
            });
            if (secureAuthority && !https)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate!));
            }
        });

        var app = builder.Build();
        app.UseRouting();
        app.MapSimulatedTenant();
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.TrimEnd('/')).ToList();
        var baseUrl = addresses.First(a => https || a.StartsWith("http://", StringComparison.Ordinal));
        var secureBaseUrl = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        if (secureAuthority)
        {
            // Known only now that the ports are bound; read per request, so setting it after start is enough.
            var options = app.Services.GetRequiredService<SimulatorOptions>();
            options.SecureBaseUrl = secureBaseUrl;
            options.BrowserBaseUrl = baseUrl;
            options.SecureCertificateSha256 = SimulatorCertificate.Sha256(serverCertificate!);
        }

        app.Services.GetRequiredService<SmtpSink>().Start();
        var publicCertificate = serverCertificate is null ? null : X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
        return new SimulatedTenantServer(app, baseUrl, secureBaseUrl, publicCertificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate?.Dispose();
    }
}
