using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tenant;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Tenant;

/// <summary>The tenant's SMTP sink, spoken to as a relay client would: messages land in the mailbox, out-of-order commands are refused.</summary>
public sealed class SmtpSinkTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _tenant;

    public SmtpSinkTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    private async Task<List<string>> ConverseAsync(params string[] lines)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _tenant.Server.SmtpPort);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var replies = new List<string> { (await reader.ReadLineAsync())! };
        var inData = false;
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line);
            if (inData && line != ".")
            {
                continue; // the server answers a message only after its lone dot
            }

            string reply;
            do
            {
                reply = (await reader.ReadLineAsync())!;
                replies.Add(reply);
            }
            while (reply.Length > 3 && reply[3] == '-');
            inData = reply.StartsWith("354", StringComparison.Ordinal);
        }

        return replies;
    }

    [Fact]
    public async Task Message_WithHtmlAndText_LandsInTheMailboxPerRecipient()
    {
        var replies = await ConverseAsync(
            "EHLO portal", "MAIL FROM:<invitations@contoso.com>", "RCPT TO:<kim@partner.example>", "RCPT TO:<lee@partner.example>", "DATA",
            "From: invitations@contoso.com", "To: kim@partner.example", "Subject: Welcome", "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"b\"", "",
            "--b", "Content-Type: text/plain; charset=utf-8", "", "Accept the invitation", "..a line that starts with a dot",
            "--b", "Content-Type: text/html; charset=utf-8", "", "<html lang=\"de\"><body><p>Einladung annehmen</p></body></html>", "--b--",
            ".", "QUIT");

        Assert.Equal("220", replies[0][..3]);
        Assert.Contains("250 OK: queued", replies);
        var mailbox = _tenant.Server.Tenant.Mailbox();
        Assert.Equal(["kim@partner.example", "lee@partner.example"], mailbox.Select(m => m.To));
        var first = mailbox[0];
        Assert.Equal((MailboxMessage.MailKind, "invitations@contoso.com", "Welcome", "de", "smtp"), (first.Kind, first.From, first.Subject, first.Language, first.InvitedBy));
        Assert.Contains(".a line that starts with a dot", first.Body, StringComparison.Ordinal);
        Assert.Contains("Einladung annehmen", first.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_OutOfOrder_AreRefusedAndNothingIsDelivered()
    {
        var replies = await ConverseAsync("HELO portal", "RCPT TO:<kim@partner.example>", "DATA", "QUIT");

        Assert.StartsWith("503", replies[2], StringComparison.Ordinal);
        Assert.StartsWith("503", replies[3], StringComparison.Ordinal);
        Assert.Empty(_tenant.Server.Tenant.Mailbox());
    }

    [Fact]
    public async Task Reset_SyntaxErrorsAndUnknownCommands_GetTheirRepliesAndNothingIsDelivered()
    {
        var replies = await ConverseAsync(
            "EHLO portal", "MAIL FROM:<invitations@contoso.com>", "RCPT TO:<kim@partner.example>", "RSET", "DATA",
            "MAIL FROM:invitations@contoso.com", "RCPT TO:<kim@partner.example>", "MAIL FROM:<invitations@contoso.com>", "RCPT TO:<>",
            "NOOP", "VRFY kim", "QUIT");

        Assert.Equal(
            ["220", "250", "250", "250", "250", "250", "250", "503", "501", "503", "250", "501", "250", "502", "221"],
            replies.Select(r => r[..3]));
        Assert.Equal("250 8BITMIME", replies[3]);
        Assert.Empty(_tenant.Server.Tenant.Mailbox());
    }

    [Fact]
    public async Task About_NamesTheSink()
    {
        var about = (await _tenant.Http.GetFromJsonAsync<JsonObject>($"{_tenant.Server.BaseUrl}/_tenant/about"))!;

        Assert.Equal(_tenant.Server.SmtpPort, about["smtp"]!["port"]!.GetValue<int>());
    }
}
