using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>Graph's sendMail: who may send as whom, what lands in the mailbox.</summary>
public sealed class SendMailTests : IClassFixture<SimulatorFixture>
{
    private const string MailScope = "openid https://graph.microsoft.com/Mail.Send";

    private readonly SimulatorFixture _tenant;

    public SendMailTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    private static SendMailPostRequestBody Mail(string to, string html, string? from = null) => new()
    {
        Message = new Message
        {
            Subject = "Einladung",
            Body = new ItemBody { ContentType = BodyType.Html, Content = html },
            ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = to } }],
            From = from is null ? null : new Recipient { EmailAddress = new EmailAddress { Address = from } },
        },
        SaveToSentItems = false,
    };

    [Fact]
    public async Task AppOnly_SendsAsAnyMailbox_MailboxEntryHasKindFromHtmlLanguageAndRedeemLink()
    {
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation
        {
            InvitedUserEmailAddress = "own@fabrikam.example",
            InviteRedirectUrl = "https://portal.example",
            SendInvitationMessage = false,
        });
        var html = $"<html lang=\"de-DE\"><body><p>Hallo &amp; willkommen!</p><p><a href=\"{invitation!.InviteRedeemUrl}\">Annehmen</a></p></body></html>";

        await graph.Users[SimulatedTenantDefaults.GuestInviterUpn].SendMail.PostAsync(Mail("own@fabrikam.example", html));

        var entry = (await _tenant.Http.GetFromJsonAsync<JsonArray>($"{_tenant.Server.BaseUrl}/_tenant/mailbox"))!.Single()!;
        Assert.Equal("mail", entry["kind"]!.GetValue<string>());
        Assert.Equal("inviter@contoso.com", entry["from"]!.GetValue<string>());
        Assert.Equal("own@fabrikam.example", entry["to"]!.GetValue<string>());
        Assert.Equal("Einladung", entry["subject"]!.GetValue<string>());
        Assert.Equal(html, entry["html"]!.GetValue<string>());
        Assert.Contains("Hallo & willkommen!", entry["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("<p>", entry["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("de-DE", entry["language"]!.GetValue<string>());
        Assert.Equal(invitation.InviteRedeemUrl, entry["redeemUrl"]!.GetValue<string>());
        Assert.Equal(invitation.InvitedUser!.Id, entry["userId"]!.GetValue<string>());
        Assert.Equal("B2B Portal", entry["invitedBy"]!.GetValue<string>());
        Assert.NotNull(entry["sentAt"]);
    }

    [Fact]
    public async Task SendMail_Raw_Answers202Accepted()
    {
        using var response = await _tenant.SendGraphAsync(HttpMethod.Post, $"/users/{SimulatedTenantDefaults.GlobalAdminUpn}/sendMail", new
        {
            message = new
            {
                subject = "Plain",
                body = new { contentType = "Text", content = "Line one\nLine <two>" },
                toRecipients = new[] { new { emailAddress = new { address = "plain@fabrikam.example" } } },
            },
            saveToSentItems = false,
        }, await _tenant.TokenAsync());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = Assert.Single(_tenant.Server.Tenant.Mailbox());
        Assert.Equal("Line one\nLine <two>", mail.Body);
        Assert.Contains("Line &lt;two&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Equal(string.Empty, mail.RedeemUrl);
    }

    [Fact]
    public async Task Delegated_SendsAsSelfThroughMeAndUsers_ButNotAsSomeoneElse()
    {
        var graph = await _tenant.GraphAsync(await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn, MailScope));

        await graph.Me.SendMail.PostAsync(new Microsoft.Graph.Me.SendMail.SendMailPostRequestBody { Message = Mail("me@fabrikam.example", "<p>me</p>").Message });
        await graph.Users[SimulatedTenantDefaults.NoRoleUpn].SendMail.PostAsync(Mail("self@fabrikam.example", "<p>self</p>"));
        var other = await Assert.ThrowsAsync<ODataError>(() =>
            graph.Users[SimulatedTenantDefaults.GlobalAdminUpn].SendMail.PostAsync(Mail("other@fabrikam.example", "<p>other</p>")));

        Assert.Equal(403, other.ResponseStatusCode);
        Assert.Equal("ErrorAccessDenied", other.Error!.Code);
        Assert.Equal(["me@fabrikam.example", "self@fabrikam.example"], _tenant.Server.Tenant.Mailbox().Select(m => m.To));
        Assert.All(_tenant.Server.Tenant.Mailbox(), m => Assert.Equal(("employee@contoso.com", SimulatedTenantDefaults.NoRoleUpn), (m.From, m.InvitedBy)));
    }

    [Fact]
    public async Task Delegated_WithoutMailSendScope_Is403()
    {
        var graph = await _tenant.GraphAsync(await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn));

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Me.SendMail.PostAsync(
            new Microsoft.Graph.Me.SendMail.SendMailPostRequestBody { Message = Mail("x@fabrikam.example", "<p>x</p>").Message }));

        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Empty(_tenant.Server.Tenant.Mailbox());
    }

    [Fact]
    public async Task AppOnly_Me_Is400()
    {
        using var response = await _tenant.SendGraphAsync(HttpMethod.Post, "/me/sendMail", new { message = new { } }, await _tenant.TokenAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/me request is only valid with delegated authentication flow.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.NoMailboxUpn, "MailboxNotEnabledForRESTAPI")]
    [InlineData("nobody@contoso.onmicrosoft.com", "ErrorInvalidUser")]
    public async Task SendAs_UserWithoutMailbox_Is404(string sender, string code)
    {
        var graph = await _tenant.GraphAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[sender].SendMail.PostAsync(Mail("y@fabrikam.example", "<p>y</p>")));

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal(code, error.Error!.Code);
        Assert.Empty(_tenant.Server.Tenant.Mailbox());
    }

    [Fact]
    public async Task SendAs_FromAnotherAddress_IsSendAsDenied()
    {
        var graph = await _tenant.GraphAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[SimulatedTenantDefaults.GlobalAdminUpn].SendMail.PostAsync(
            Mail("z@fabrikam.example", "<p>z</p>", from: "ceo@contoso.com")));

        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Equal("ErrorSendAsDenied", error.Error!.Code);
    }
}
