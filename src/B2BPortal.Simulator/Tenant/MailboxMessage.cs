namespace B2BPortal.Simulator.Tenant;

/// <summary>
/// One email as its recipient received it: Microsoft's invitation email (<see cref="InvitationKind"/>) or a message sent
/// through Graph's sendMail (<see cref="MailKind"/>). <see cref="Body"/> is what the recipient reads; what Graph was asked
/// for (<see cref="RequestedLanguage"/>, <see cref="RequestedCustomMessage"/>) is kept apart so a test can tell the two.
/// </summary>
public sealed record MailboxMessage
{
    public const string InvitationKind = "invitation";
    public const string MailKind = "mail";

    public required string Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>Microsoft's invitation sender, or the mailbox a sendMail message was sent from.</summary>
    public required string From { get; init; }

    public required string To { get; init; }

    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>The invited user's display name (invitations only).</summary>
    public string? DisplayName { get; init; }

    /// <summary>The language the recipient really gets; for mail, the <c>lang</c> of the HTML body when it names one.</summary>
    public string? Language { get; init; }

    public required string Subject { get; init; }

    /// <summary>The text the recipient reads. A custom message Entra dropped is not in it.</summary>
    public required string Body { get; init; }

    /// <summary>The HTML the recipient's mail client shows (mail only).</summary>
    public string? Html { get; init; }

    /// <summary>The custom message that reached the recipient inside Microsoft's email; null when there was none or Entra dropped it.</summary>
    public string? CustomMessage { get; init; }

    /// <summary><c>invitedUserMessageInfo.messageLanguage</c> as Graph received it.</summary>
    public string? RequestedLanguage { get; init; }

    /// <summary><c>invitedUserMessageInfo.customizedMessageBody</c> as Graph received it, whether or not it reached the guest.</summary>
    public string? RequestedCustomMessage { get; init; }

    /// <summary>The redeem link the recipient can follow; for mail, a link of this tenant found in the body, else empty.</summary>
    public string RedeemUrl { get; init; } = string.Empty;

    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The invited user's object id; for mail, the user the redeem link belongs to, if any.</summary>
    public string? UserId { get; init; }

    public string? InviteRedirectUrl { get; init; }

    /// <summary>Who made the invitation or sent the mail: the person's UPN, or the application's display name when app-only.</summary>
    public required string InvitedBy { get; init; }

    /// <summary>Why the email differs from what was asked for (a dropped message, an ignored language), in Entra's terms.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
