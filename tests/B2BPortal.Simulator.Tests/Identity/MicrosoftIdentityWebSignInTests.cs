using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Web;

namespace B2BPortal.Simulator.Tests.Identity;

/// <summary>Microsoft.Identity.Web, as the portal uses it, signs a person in with only configuration pointing at the simulator.</summary>
public sealed class MicrosoftIdentityWebSignInTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task MicrosoftIdentityWeb_GlobalAdminSignsIn_SeesWidsAndUpn()
    {
        await using var client = await ClientApp.StartAsync(services =>
        {
            services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(o =>
                {
                    o.Instance = $"{tenant.Server.BaseUrl}/_tenant/";
                    o.TenantId = SimulatedTenantDefaults.TenantId;
                    o.ClientId = SimulatedTenantDefaults.PortalClientId;
                    o.ClientSecret = SimulatedTenantDefaults.PortalClientSecret;
                    o.ResponseType = "code";
                });

            // Microsoft.Identity.Web does not copy these to the handler: they are set on the handler's own options. Its
            // Entra issuer validator fetches metadata over HTTPS only, so over plain HTTP the issuer is checked as a fixed value.
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
            {
                o.RequireHttpsMetadata = false;
                o.TokenValidationParameters.IssuerValidator = null;
                o.TokenValidationParameters.ValidIssuer = tenant.Authority;
                ClientApp.AllowPlainHttpCookies(o);
            });
        });

        var claims = await client.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, claims["preferred_username"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.GlobalAdministratorRoleId, claims["wids"]!.GetValue<string>());
    }
}
