using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Invitations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace B2BPortal.Web.UnitTests.Hosting;

/// <summary>
/// Options are bound and validated when the host starts (<c>ValidateOnStart</c>, run by <see cref="IStartupValidator"/>):
/// a wrong value stops start-up with a message that names the key to fix, and the defaults start.
/// </summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void PortalOptions_Defaults_StartAndAreTheDocumentedValues()
    {
        using var services = Build(new Dictionary<string, string?>(), s => s.AddPortalOptions());

        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<PortalOptions>>().Value;
        Assert.Equal(14, options.StaleAfterDays);
        Assert.False(options.BehindProxy);
    }

    [Fact]
    public void PortalOptions_ConfiguredValues_AreBound()
    {
        using var services = Build(
            new Dictionary<string, string?> { ["Portal:StaleAfterDays"] = "30", ["Portal:BehindProxy"] = "true", ["Portal:Roles"] = "web" },
            s => s.AddPortalOptions());

        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<PortalOptions>>().Value;
        Assert.Equal(30, options.StaleAfterDays);
        Assert.True(options.BehindProxy);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void PortalOptions_StaleAfterDaysBelowOne_StopsStartupNamingTheKey(string value)
    {
        using var services = Build(new Dictionary<string, string?> { ["Portal:StaleAfterDays"] = value }, s => s.AddPortalOptions());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Portal:StaleAfterDays", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PortalOptions_StaleAfterDaysNotANumber_StopsStartupNamingTheKey()
    {
        using var services = Build(new Dictionary<string, string?> { ["Portal:StaleAfterDays"] = "two weeks" }, s => s.AddPortalOptions());

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Portal:StaleAfterDays", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Portal:Upload:MaxFileBytes", "0")]
    [InlineData("Portal:Upload:MaxFileBytes", "-1")]
    [InlineData("Portal:Upload:MaxRows", "0")]
    public void UploadOptions_NotPositive_StopsStartupNamingTheKey(string key, string value)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value }, s => s.AddUploadOptions());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UploadOptions_Defaults_Start()
    {
        using var services = Build(new Dictionary<string, string?>(), s => s.AddUploadOptions());

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(50_000, services.GetRequiredService<IOptions<UploadOptions>>().Value.MaxRows);
    }

    [Theory]
    [InlineData("Delivery:InvitationsPerSecond", "0")]
    [InlineData("Delivery:MaxAttempts", "0")]
    [InlineData("Delivery:WorkerCount", "-1")]
    [InlineData("Delivery:ClaimBatchSize", "0")]
    [InlineData("Delivery:LeaseDuration", "00:00:00")]
    [InlineData("Delivery:GraphTimeout", "-00:00:05")]
    [InlineData("Delivery:WritesPerSecond", "0")]
    [InlineData("Delivery:DefaultRetryAfter", "00:00:00")]
    [InlineData("Delivery:IdleDelay", "-00:00:01")]
    [InlineData("Delivery:BackoffBase", "00:00:00")]
    [InlineData("Delivery:BackoffMax", "00:00:00")]
    [InlineData("Delivery:ReplicationWait", "00:00:00")]
    [InlineData("Delivery:TrackerInterval", "00:00:00")]
    [InlineData("Portal:Cleanup:ReinviteAfterDays", "0")]
    [InlineData("Portal:Cleanup:AskSponsorDays", "-1")]
    [InlineData("Portal:Cleanup:Interval", "00:00:00")]
    [InlineData("Portal:Cleanup:MaxActionsPerRun", "0")]
    [InlineData("Invitations:EmailsPerMinute", "0")]
    [InlineData("Invitations:EmailLease", "00:00:00")]
    public void DeliveryOptions_NotPositive_StopsStartupNamingTheKey(string key, string value)
    {
        using var services = Build(
            new Dictionary<string, string?> { [key] = value },
            s => s.AddInvitationDelivery(new PortalRoles(Web: true, Worker: false)));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeliveryOptions_Defaults_StartWithoutTheOptionalDurations()
    {
        using var services = Build(
            new Dictionary<string, string?>(),
            s => s.AddInvitationDelivery(new PortalRoles(Web: true, Worker: false)));

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Null(services.GetRequiredService<IOptions<DeliveryOptions>>().Value.GraphTimeout);
    }

    [Theory]
    [InlineData("Portal:RateLimits:ApiPermitsPerWindow", "0")]
    [InlineData("Portal:RateLimits:ApiWindow", "00:00:00")]
    [InlineData("Portal:RateLimits:ConcurrentUploads", "-2")]
    [InlineData("Portal:RateLimits:UploadRetryAfter", "-00:00:01")]
    public void RateLimitOptions_NotPositive_StopsStartupNamingTheKey(string key, string value)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value }, s => s.AddPortalRateLimits());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains($"{key} must be positive.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smtp.contoso.com", "None", null, "allowed for a relay on this machine")]
    [InlineData("smtp.contoso.com", "StartTls", "relay@contoso.com", "set both UserName and Password")]
    public void SmtpOptions_InClearOffThisMachineOrHalfASignIn_StopsStartupSayingWhy(string host, string security, string? user, string expected)
    {
        using var services = Build(
            new Dictionary<string, string?> { ["Invitations:Smtp:Host"] = host, ["Invitations:Smtp:Security"] = security, ["Invitations:Smtp:UserName"] = user },
            s => s.AddInvitationDelivery(new PortalRoles(Web: true, Worker: false)));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Invitations:Smtp", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmtpOptions_LoopbackRelayWithoutTls_Starts()
    {
        using var services = Build(
            new Dictionary<string, string?> { ["Invitations:Smtp:Host"] = "127.0.0.1", ["Invitations:Smtp:Port"] = "2525", ["Invitations:Smtp:Security"] = "None" },
            s => s.AddInvitationDelivery(new PortalRoles(Web: true, Worker: false)));

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.True(services.GetRequiredService<IOptions<B2BPortal.Web.Delivery.Email.InvitationEmailOptions>>().Value.Smtp.Enabled);
    }

    /// <summary>Import used to add a second system clock after the others' TryAdd: a test's clock had to replace two.</summary>
    [Fact]
    public void OneClock_WhicheverPartsAreComposed()
    {
        using var services = Build(
            new Dictionary<string, string?>(),
            s => s.AddPortalClock().AddInvitationImport().AddInvitationDelivery(new PortalRoles(Web: true, Worker: false)));

        Assert.Single(services.GetServices<TimeProvider>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection> register) =>
        Build(settings, (services, _) => register(services));

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        register(services, configuration);
        return services.BuildServiceProvider();
    }
}
