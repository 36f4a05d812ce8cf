using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Security;

/// <summary>
/// The portal started as Production (against the simulated tenant, explicitly enabled), with its warnings captured;
/// optionally with a data-protection certificate.
/// </summary>
public class ProductionPortalFactory : PortalFactory
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Logged { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("Simulation:Enabled", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logged)));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(LogLevel, string, string)> logged) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, logged);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<(LogLevel, string, string)> logged) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    logged.Enqueue((logLevel, category, formatter(state, exception)));
                }
            }
        }
    }
}

/// <summary>A Production portal whose data-protection keys are protected with a certificate (a throwaway PFX with a password).</summary>
public sealed class CertificateProtectedPortalFactory : ProductionPortalFactory
{
    public const string Password = "test-only-pfx-password";

    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"b2bportal-dp-{Guid.NewGuid():N}.pfx");

    public CertificateProtectedPortalFactory()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=B2B Portal data protection (test)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx, Password));
        With(KeyProtectionOptions.Setting(nameof(KeyProtectionOptions.CertificatePath)), _pfx);
        With(KeyProtectionOptions.Setting(nameof(KeyProtectionOptions.CertificatePassword)), Password);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_pfx);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Issue 11's keys at rest: without a certificate a Production portal warns at start-up (naming the setting, no secret).</summary>
public sealed class UnprotectedKeysWarningTests(ProductionPortalFactory portal) : IClassFixture<ProductionPortalFactory>
{
    [Fact]
    public void Production_WithoutACertificate_WarnsAtStartupNamingTheSetting()
    {
        _ = portal.Services; // starts the host

        var warning = Assert.Single(portal.Logged, l => l.Category == "B2BPortal.DataProtection");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("without certificate protection", warning.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:CertificatePath", warning.Message, StringComparison.Ordinal);
    }
}

/// <summary>With DataProtection:CertificatePath the keys in the database are encrypted with the certificate, and there is no warning.</summary>
public sealed class CertificateProtectedKeysTests(CertificateProtectedPortalFactory portal) : IClassFixture<CertificateProtectedPortalFactory>
{
    [Fact]
    public async Task KeysInTheDatabase_AreEncryptedWithTheCertificate_AndNothingIsWarned()
    {
        var protector = portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Security.KeysAtRest");
        Assert.Equal("secret", protector.Unprotect(protector.Protect("secret")));

        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var keys = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedXmlDecryptor", xml!, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml!, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(portal.Logged, l => l.Category == "B2BPortal.DataProtection");
        Assert.DoesNotContain(portal.Logged, l => l.Message.Contains(CertificateProtectedPortalFactory.Password, StringComparison.Ordinal));
    }
}
