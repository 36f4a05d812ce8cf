using B2BPortal.Web.Data;

namespace B2BPortal.Web.Api;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed record BatchCreated(Guid Id, string FileName, string Format, int TotalRows, int ValidRows, int InvalidRows, string Status);

public sealed record BatchSummary(
    Guid Id,
    string FileName,
    string Format,
    string Status,
    string UploadedBy,
    DateTime UploadedAt,
    DateTime? SubmittedAt,
    int TotalRows,
    int ValidRows,
    int InvalidRows);

public sealed record BatchCounts(int Queued, int Sending, int Invited, int Accepted, int Failed, int Invalid, int Cancelled);

public sealed record BatchDetail(
    Guid Id,
    string FileName,
    string Format,
    string Status,
    string Sha256,
    long SizeBytes,
    string UploadedBy,
    DateTime UploadedAt,
    DateTime? SubmittedAt,
    int TotalRows,
    int ValidRows,
    int InvalidRows,
    BatchCounts Counts);

public sealed record InvitationItem(
    long Id,
    int RowNumber,
    string Email,
    string? DisplayName,
    string Status,
    IReadOnlyList<RowError> Errors,
    string? LastError,
    string? UserId,
    string? RedeemUrl,
    int Attempts,
    string? Language,
    string? GroupIds,
    string? AppIds,
    DateTime? InvitedAt,
    DateTime? AcceptedAt,
    string? BrandingAppId);

/// <summary>Which rows to send again; default: the failed ones.</summary>
public sealed record ResendRequest(IReadOnlyList<InvitationStatus>? Statuses, bool ResetRedemption = false);

public sealed record ResendAccepted(int Requeued);

/// <summary>One invitation through the API: the fields of a CSV row (2016 names).</summary>
public sealed record SingleInvitationRequest(
    string? Email,
    string? DisplayName,
    string? InviteRedirectUrl,
    string? InviteContactUsUrl,
    string? InviteAppId,
    string? InviteAppResources,
    string? InviteGroupResources,
    string? Language,
    bool? SendEmail,
    string? CustomizedMessageBody);

public static class ApiFormats
{
    public static string Format(BatchFormat format) => format switch
    {
        BatchFormat.Legacy => "legacy",
        BatchFormat.Entra => "entra",
        _ => "single",
    };
}
