namespace B2BPortal.Simulator.Tenant;

/// <summary>What <c>POST /invitations</c> asked for, already read from Graph's JSON.</summary>
internal sealed record InvitationRequest(
    string Email,
    string RedirectUrl,
    string? DisplayName,
    bool SendInvitationMessage,
    string? Language,
    string? CustomMessage,
    IReadOnlyList<string> Cc,
    string UserType,
    bool ResetRedemption,
    string? InvitedUserId);

internal sealed record InvitationResult(string InvitationId, DirectoryUser User, string RedeemUrl, string Status);

/// <summary>An outstanding redeem link.</summary>
internal sealed record Redemption(string Token, string UserId, string Email, string RedirectUrl);
