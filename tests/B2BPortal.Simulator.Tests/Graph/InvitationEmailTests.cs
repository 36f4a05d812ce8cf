using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>What Microsoft's invitation email really carries: the custom message and the language, by who sends it.</summary>
public sealed class InvitationEmailTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _tenant;

    public InvitationEmailTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    private Task<HttpResponseMessage> InviteWithMessageAsync(string token, string email, string language, string? message) =>
        _tenant.SendGraphAsync(HttpMethod.Post, "/invitations", new
        {
            invitedUserEmailAddress = email,
            inviteRedirectUrl = "https://portal.example/welcome",
            sendInvitationMessage = true,
            invitedUserMessageInfo = new { messageLanguage = language, customizedMessageBody = message },
        }, token);

    [Fact]
    public async Task AppOnly_CustomMessage_IsNotInTheEmailButGraphReceivedIt()
    {
        using var response = await InviteWithMessageAsync(await _tenant.TokenAsync(), "drop@fabrikam.example", "en-US", "Contact us: https://contoso.example/contact");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var echoed = (await response.Content.ReadFromJsonAsync<JsonObject>())!["invitedUserMessageInfo"]!["customizedMessageBody"]!.GetValue<string>();
        Assert.Equal("Contact us: https://contoso.example/contact", echoed);

        var mail = (await _tenant.Http.GetFromJsonAsync<JsonArray>($"{_tenant.Server.BaseUrl}/_tenant/mailbox"))!.Single()!;
        Assert.DoesNotContain("contoso.example/contact", mail["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(mail["customMessage"]);
        Assert.Equal("Contact us: https://contoso.example/contact", mail["request"]!["customizedMessageBody"]!.GetValue<string>());
        Assert.Contains(mail["notes"]!.AsArray(), n => n!.GetValue<string>().Contains("app service principal", StringComparison.Ordinal));
        Assert.Equal(SimulatedTenantDefaults.InvitationSender, mail["from"]!.GetValue<string>());
        Assert.Equal("B2B Portal", mail["invitedBy"]!.GetValue<string>());
        Assert.Contains(mail["redeemUrl"]!.GetValue<string>(), mail["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegated_InviterWithoutMailAddress_CustomMessageIsDropped()
    {
        var token = await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoMailboxUpn);

        (await InviteWithMessageAsync(token, "nomail@fabrikam.example", "en-US", "Hello from Nia")).Dispose();

        var mail = Assert.Single(_tenant.Server.Tenant.Mailbox());
        Assert.Null(mail.CustomMessage);
        Assert.DoesNotContain("Hello from Nia", mail.Body, StringComparison.Ordinal);
        Assert.Equal("Hello from Nia", mail.RequestedCustomMessage);
        Assert.Equal(SimulatedTenantDefaults.NoMailboxUpn, mail.InvitedBy);
    }

    [Fact]
    public async Task Delegated_InviterWithMailAddress_CustomMessageArrivesInEnglishWhateverTheLanguage()
    {
        var token = await _tenant.UserTokenAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        (await InviteWithMessageAsync(token, "kept@fabrikam.example", "es-ES", "Hola y bienvenida")).Dispose();

        var mail = Assert.Single(_tenant.Server.Tenant.Mailbox());
        Assert.Equal("Hola y bienvenida", mail.CustomMessage);
        Assert.Contains("Hola y bienvenida", mail.Body, StringComparison.Ordinal);
        Assert.Equal("en-US", mail.Language);
        Assert.Equal("es-ES", mail.RequestedLanguage);
        Assert.Contains(mail.Notes, n => n.Contains("messageLanguage 'es-ES' was ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutCustomMessage_MessageLanguageIsHonoured()
    {
        (await InviteWithMessageAsync(await _tenant.TokenAsync(), "lang@fabrikam.example", "de-DE", null)).Dispose();

        var mail = Assert.Single(_tenant.Server.Tenant.Mailbox());
        Assert.Equal("de-DE", mail.Language);
        Assert.Empty(mail.Notes);
    }
}
