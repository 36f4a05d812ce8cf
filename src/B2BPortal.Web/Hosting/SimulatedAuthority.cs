using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using B2BPortal.Simulator;
using Microsoft.Identity.Client;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// The simulated tenant's HTTPS back channel (docs/architecture.md decision 3): where the issuer, token endpoint and keys
/// live, and the SHA-256 of its self-signed certificate, which the portal pins. Simulation only; a real tenant uses the
/// machine's trust store and MSAL's defaults.
/// </summary>
public sealed record SimulatedAuthority(string SecureBaseUrl, string CertificateSha256)
{
    public const string UrlKey = "Simulation:TenantHttpsUrl";

    public const string CertificateKey = "Simulation:TenantCertificateSha256";

    /// <summary>Reads both settings; null when either is missing (the simulator then has no HTTPS authority to offer).</summary>
    public static SimulatedAuthority? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var url = configuration[UrlKey];
        var sha256 = configuration[CertificateKey];
        return string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(sha256)
            ? null
            : new SimulatedAuthority(url.TrimEnd('/'), sha256.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant());
    }

    /// <summary>
    /// A handler that accepts exactly the pinned certificate, never "any certificate": the chain of a self-signed
    /// certificate cannot be built, so the only trust is the fingerprint.
    /// </summary>
    public SocketsHttpHandler CreatePinnedHandler() => new()
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(
                    Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), CertificateSha256, StringComparison.Ordinal),
        },
    };

    /// <summary>
    /// In-process simulation (<c>dotnet run</c>): adds a loopback HTTPS listener to the portal's own Kestrel with a
    /// certificate made at start, and records its address and fingerprint in configuration for the rest of start-up.
    /// The portal's own URLs stay as configured; browsers keep plain HTTP.
    /// </summary>
    public static void AddInProcessListener(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!TenantConnectionResolver.HostsSimulatorInProcess(builder.Configuration) || From(builder.Configuration) is not null)
        {
            return;
        }

        var certificate = SimulatorCertificate.Create();
        var port = FreeLoopbackPort();
        var secure = $"https://127.0.0.1:{port}";
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, $"{(string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls)};{secure}");
        builder.Configuration[UrlKey] = secure;
        builder.Configuration[CertificateKey] = SimulatorCertificate.Sha256(certificate);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            // Only the simulator's port gets the made-up certificate; another HTTPS URL keeps the certificate configured for it.
            var configured = https.ServerCertificate;
            https.ServerCertificateSelector = (connection, _) =>
                connection?.LocalEndPoint is IPEndPoint { Port: var local } && local == port ? certificate : configured;
        }));
    }

    // The authority's address must be known before the server starts (sign-in options are built from it), so the
    // port is picked here rather than by Kestrel; another process taking it in between makes start-up fail loudly.
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

/// <summary>
/// MSAL's HTTP client in simulation: pins the simulated tenant's certificate and sends MSAL's instance-discovery request
/// (to Microsoft's login host, which cannot be reached here) to the simulator, which answers it for its own host
/// (docs/graph.md "Sending as a signed-in admin"). Production registers nothing, so MSAL keeps its defaults.
/// </summary>
internal sealed class SimulatedTenantMsalHttpClientFactory(SimulatedAuthority authority) : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient _client = new(new DiscoveryRouter(authority));

    public HttpClient GetHttpClient() => _client;

    public void Dispose() => _client.Dispose();

    private sealed class DiscoveryRouter(SimulatedAuthority authority) : DelegatingHandler(authority.CreatePinnedHandler())
    {
        private const string MicrosoftLoginHost = "login.microsoftonline.com";

        private readonly Uri _simulator = new(authority.SecureBaseUrl);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } asked && string.Equals(asked.Host, MicrosoftLoginHost, StringComparison.OrdinalIgnoreCase))
            {
                request.RequestUri = new UriBuilder(asked) { Scheme = _simulator.Scheme, Host = _simulator.Host, Port = _simulator.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
