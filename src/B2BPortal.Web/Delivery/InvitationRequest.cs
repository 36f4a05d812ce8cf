namespace B2BPortal.Web.Delivery;

/// <summary>The body of one POST /invitations, already resolved from a row (language mapped, message composed; both null when Graph sends no email).</summary>
public sealed record InvitationRequest(
    string Email,
    string? DisplayName,
    string RedirectUrl,
    bool SendInvitationMessage,
    string? MessageLanguage,
    string? CustomizedMessageBody,
    string? ResetRedemptionUserId = null);
