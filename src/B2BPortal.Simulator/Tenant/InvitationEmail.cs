using System.Text;

namespace B2BPortal.Simulator.Tenant;

/// <summary>
/// Microsoft's invitation email as the guest receives it. Entra's rules (Troubleshooting B2B collaboration; Graph's
/// invitedUserMessageInfo): the custom message is left out when an app service principal sends the invitation or when the
/// inviter has no mail address in the tenant, and messageLanguage is ignored (en-US) whenever a custom message is given.
/// </summary>
internal static class InvitationEmail
{
    public const string DefaultLanguage = "en-US";

    public static MailboxMessage Compose(
        InvitationRequest request, GraphPrincipal inviter, string? inviterMail, DirectoryUser user, string redeemUrl, DateTimeOffset sentAt)
    {
        var notes = new List<string>();
        var hasMessage = !string.IsNullOrEmpty(request.CustomMessage);
        var language = request.Language ?? DefaultLanguage;
        if (hasMessage && !string.Equals(language, DefaultLanguage, StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"messageLanguage '{language}' was ignored because customizedMessageBody was specified: the email is in {DefaultLanguage}.");
        }

        if (hasMessage)
        {
            language = DefaultLanguage;
        }

        string? delivered = null;
        if (hasMessage && inviter.IsAppOnly)
        {
            notes.Add("customizedMessageBody was dropped: an app service principal sent the invitation (app-only).");
        }
        else if (hasMessage && inviterMail is null)
        {
            notes.Add($"customizedMessageBody was dropped: the inviter {inviter.Name} has no email address in the tenant.");
        }
        else
        {
            delivered = request.CustomMessage;
        }

        // App-only invitations name the organization, a person's name the person.
        var inviterName = inviter.Person?.DisplayName ?? SimulatedTenantDefaults.OrganizationName;
        var subject = $"{inviterName} invited you to access applications within their organization";
        var body = Body(subject, inviterName, inviterMail, delivered, request.RedirectUrl, redeemUrl);
        return new MailboxMessage(MailboxMessage.InvitationKind, SimulatedTenantDefaults.InvitationSender, request.Email, subject, body, sentAt, inviter.Name)
        {
            Cc = request.Cc,
            DisplayName = request.DisplayName,
            Language = language,
            CustomMessage = delivered,
            RedeemUrl = redeemUrl,
            UserId = user.Id,
            InviteRedirectUrl = request.RedirectUrl,
            RequestedLanguage = request.Language,
            RequestedCustomMessage = request.CustomMessage,
            Notes = notes,
        };
    }

    private static string Body(string subject, string inviterName, string? inviterMail, string? message, string redirectUrl, string redeemUrl)
    {
        var body = new StringBuilder()
            .AppendLine(subject)
            .AppendLine();
        if (message is not null)
        {
            body.Append("Message from ").Append(inviterName).AppendLine(":")
                .AppendLine(message)
                .AppendLine();
        }

        body.Append("Organization: ").AppendLine(SimulatedTenantDefaults.OrganizationName)
            .Append("Domain: ").AppendLine(SimulatedTenantDefaults.PrimaryDomain);
        if (inviterMail is not null)
        {
            body.Append("Invited by: ").Append(inviterName).Append(" (").Append(inviterMail).AppendLine(")");
        }

        return body
            .AppendLine()
            .Append("If you accept this invitation, you'll be sent to ").Append(redirectUrl).AppendLine(".")
            .Append("Accept invitation: ").AppendLine(redeemUrl)
            .AppendLine()
            .AppendLine("Block future invitations from this organization.")
            .Append("This invitation email is from ").Append(SimulatedTenantDefaults.OrganizationName)
            .Append(" (").Append(SimulatedTenantDefaults.PrimaryDomain).AppendLine(") and may include advertising content.")
            .ToString();
    }
}
