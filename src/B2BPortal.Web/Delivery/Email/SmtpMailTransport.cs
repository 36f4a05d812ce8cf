using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace B2BPortal.Web.Delivery.Email;

/// <summary>
/// The portal's email through an SMTP relay (<c>Invitations:Smtp</c>), as HTML with a plain-text alternative. Answers in
/// the same outcomes as Graph's sendMail, so the email stage treats both alike: a refused recipient is permanent, a busy
/// relay transient, and a connection lost after the message was handed over is "uncertain" (never sent twice by itself).
/// </summary>
public sealed class SmtpMailTransport(IOptions<InvitationEmailOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<GraphOutcome> SendAsync(string from, string to, string subject, string html, string text, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var handedOver = false;
        try
        {
            var security = smtp.Security switch
            {
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, ct);
            if (!string.IsNullOrWhiteSpace(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, ct);
            }

            handedOver = true; // from here on the relay may have the message even if its answer is lost
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, CancellationToken.None);
            return new Completed();
        }
        catch (SmtpCommandException e) when (e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted)
        {
            return new PermanentFailure($"The SMTP relay refused the {(e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? "sender" : "recipient")}: {(int)e.StatusCode} {e.Message}");
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode is >= 400 and < 500)
        {
            return new Transient($"The SMTP relay asked to try later: {(int)e.StatusCode} {e.Message}");
        }
        catch (SmtpCommandException e)
        {
            return new PermanentFailure($"The SMTP relay refused the message: {(int)e.StatusCode} {e.Message}");
        }
        catch (AuthenticationException e)
        {
            return new PermanentFailure($"The SMTP relay refused the sign-in (Invitations:Smtp:UserName and Password): {e.Message}");
        }
        catch (Exception e) when (e is ServiceNotConnectedException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return handedOver
                ? new MailUncertain($"The SMTP relay's answer was lost: {e.Message}")
                : new Transient($"The SMTP relay could not be reached ({smtp.Host}:{smtp.Port}): {e.Message}");
        }
    }
}

/// <summary>Start-up refuses an SMTP configuration that cannot work or would send passwords in clear, naming the key.</summary>
public sealed class SmtpOptionsValidation : IValidateOptions<InvitationEmailOptions>
{
    public ValidateOptionsResult Validate(string? name, InvitationEmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Smtp.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
