using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using B2BPortal.Web.Delivery;

namespace B2BPortal.Web.Tests.Hosting;

/// <summary>
/// DataProtection:CertificatePath encrypts the data-protection keys in the database, which in turn encrypt admins'
/// refresh tokens there: a copy of the database alone then holds neither in clear, and sending as the admin still works.
/// </summary>
public sealed class KeyProtectionTests : IAsyncLifetime
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"b2bportal-keys-{Guid.NewGuid():N}.pfx");
    private readonly PortalFactory _portal = new();

    public async Task InitializeAsync()
    {
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=B2B Portal data protection (test)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(_pfx, certificate.Export(X509ContentType.Pkcs12, "test-only"));
        }

        _portal.With("DataProtection:CertificatePath", _pfx).With("DataProtection:CertificatePassword", "test-only");
        await _portal.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_portal).DisposeAsync();
        File.Delete(_pfx);
    }

    [Fact]
    public async Task KeysEncryptedWithCertificate_AdminTokensStillWork()
    {
        var admin = _portal.Tenant.Tenant.FindPerson(SimulatedTenantDefaults.GlobalAdminUpn)!;
        using var browser = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var token = await _portal.Services.GetRequiredService<AdminTokens>()
            .GetGraphTokenAsync(admin.Id, SimulatedTenantDefaults.TenantId, CancellationToken.None);

        Assert.False(token.MustSignInAgain, token.SignInAgainReason);
        await using var db = await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
    }
}
