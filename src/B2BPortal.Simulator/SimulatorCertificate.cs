using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace B2BPortal.Simulator;

/// <summary>
/// The simulated tenant's self-signed TLS certificate (loopback only). Clients pin it by its SHA-256 instead of trusting
/// it machine-wide: nothing but the simulator's own listener is ever accepted with it.
/// </summary>
public static class SimulatorCertificate
{
    /// <summary>A new certificate for 127.0.0.1 and localhost, with its private key, valid for a week.</summary>
    public static X509Certificate2 Create()
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

    /// <summary>Upper-case hex SHA-256 of the certificate's DER bytes: what a client pins.</summary>
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }
}
