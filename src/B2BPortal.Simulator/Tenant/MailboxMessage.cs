namespace B2BPortal.Simulator.Tenant;

/// <summary>
/// One email as its recipient received it: Microsoft's invitation email (<see cref="InvitationKind"/>) or a message sent
/// through Graph's sendMail or the SMTP sink (<see cref="MailKind"/>). <see cref="Body"/> is what the recipient reads; what
/// Graph was asked for (<see cref="RequestedLanguage"/>, <see cref="RequestedCustomMessage"/>) is kept apart so a test can tell
/// the two. The constructor takes what every message has; the properties, what only some have.
/// </summary>
/// <param name="Kind"><see cref="InvitationKind"/> or <see cref="MailKind"/>.</param>
/// <param name="From">Microsoft's invitation sender, or the mailbox a sendMail message was sent from.</param>
/// <param name="To">The recipient (a message to several lands once per recipient).</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">The text the recipient reads. A custom message Entra dropped is not in it.</param>
/// <param name="SentAt">When the tenant delivered it.</param>
/// <param name="InvitedBy">Who made the invitation or sent the mail: the person's UPN, or the application's display name when app-only.</param>
public sealed record MailboxMessage(string Kind, string From, string To, string Subject, string Body, DateTimeOffset SentAt, string InvitedBy)
{
    public const string InvitationKind = "invitation";
    public const string MailKind = "mail";

    /// <summary>A new id per message, as a mailbox gives one.</summary>
    public string Id { get; } = Guid.NewGuid().ToString();

    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>The invited user's display name (invitations only).</summary>
    public string? DisplayName { get; init; }

    // What the recipient gets besides the body.

    /// <summary>The language the recipient really gets; for mail, the <c>lang</c> of the HTML body when it names one.</summary>
    public string? Language { get; init; }

    /// <summary>The HTML the recipient's mail client shows (mail only).</summary>
    public string? Html { get; init; }

    /// <summary>The custom message that reached the recipient inside Microsoft's email; null when there was none or Entra dropped it.</summary>
    public string? CustomMessage { get; init; }

    // Where its links lead.

    /// <summary>The redeem link the recipient can follow; for mail, a link of this tenant found in the body, else empty.</summary>
    public string RedeemUrl { get; init; } = string.Empty;

    /// <summary>The invited user's object id; for mail, the user the redeem link belongs to, if any.</summary>
    public string? UserId { get; init; }

    /// <summary>Where the guest lands after redeeming (invitations only).</summary>
    public string? InviteRedirectUrl { get; init; }

    // What Graph was asked for, and why the email differs from it (invitations only).

    /// <summary><c>invitedUserMessageInfo.messageLanguage</c> as Graph received it.</summary>
    public string? RequestedLanguage { get; init; }

    /// <summary><c>invitedUserMessageInfo.customizedMessageBody</c> as Graph received it, whether or not it reached the guest.</summary>
    public string? RequestedCustomMessage { get; init; }

    /// <summary>Why the email differs from what was asked for (a dropped message, an ignored language), in Entra's terms.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
