using System.Text.Json.Serialization;

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

public sealed record BatchCounts(int Queued, int Sending, int Invited, int Accepted, int Failed, int Invalid, int Cancelled, int Held);

/// <summary>
/// <c>done</c>: sent and nothing left to send (no Queued or Sending rows); guests may still accept later. <c>email</c>: who
/// writes the guests' email, <c>microsoft</c> or <c>portal</c>. <c>sentAs</c>: the admin's user principal name, or
/// <c>app</c>. <c>pausedReason</c>: while the batch cannot go on, a sentence a person can act on.
/// </summary>
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
    BatchCounts Counts,
    bool Done,
    string Email,
    string SentAs,
    string? PausedReason);

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
    string? BrandingAppId,
    string? EmailStatus,
    DateTime? EmailSentAt,
    string? EmailError);

/// <summary>Which rows to send again; default: the failed ones.</summary>
public sealed record ResendRequest(IReadOnlyList<InvitationStatus>? Statuses, bool ResetRedemption = false);

public sealed record ResendAccepted(int Requeued);

public sealed record BatchCancelled(int Cancelled);

/// <summary>The upload's form as the OpenAPI document describes it: one required file field (the handler reads the form itself).</summary>
public sealed class UploadForm
{
    /// <summary>The CSV file.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public required IFormFile File { get; init; }
}

/// <summary>An access request as a file, as the OpenAPI document describes it (the handler reads the form itself).</summary>
public sealed class AccessRequestFileForm
{
    /// <summary>The CSV file: one partner per row.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public required IFormFile File { get; init; }

    /// <summary>Why the partners need access (the approver decides on it).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public required string Justification { get; init; }
}

/// <summary><c>mode</c>: sending, throttled (until <c>throttledUntil</c>) or paused (Graph's abuse block; needs a resume).</summary>
public sealed record DeliveryState(string Mode, DateTime? ThrottledUntil, DateTime? PausedAt, string? PausedReason, string Description)
{
    public static DeliveryState From(B2BPortal.Web.Delivery.PacingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Mode.ToString().ToLowerInvariant(), state.ThrottledUntil, state.PausedAt, state.PausedReason, state.Description);
    }
}

/// <summary>One invitation through the API: the fields of a CSV row (2016 names).</summary>
public sealed record SingleInvitationRequest(
    string? Email,
    string? DisplayName,
    string? InviteRedirectUrl,
    string? InviteContactUsUrl,
    string? InviteAppId,
    [property: JsonConverter(typeof(IdListConverter))] string? InviteAppResources,
    [property: JsonConverter(typeof(IdListConverter))] string? InviteGroupResources,
    string? Language,
    bool? SendEmail,
    string? CustomizedMessageBody);

public static class ApiFormats
{
    public static string Format(BatchFormat format) => format switch
    {
        BatchFormat.Legacy => "legacy",
        BatchFormat.Entra => "entra",
        BatchFormat.Request => "request",
        _ => "single",
    };

    public static string Email(InvitationEmail email) => email == InvitationEmail.Portal ? "portal" : "microsoft";
}

/// <summary>
/// Group and app IDs as a CSV cell holds them ("id1 id2") or, as automation naturally sends them, a JSON array;
/// both end up as one space-separated cell and go through the row's validation.
/// </summary>
public sealed class IdListConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                var ids = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("Each ID in the list must be a string.");
                    }

                    ids.Add(reader.GetString()!);
                }

                return string.Join(' ', ids);
            default:
                throw new JsonException("Expected a string or an array of strings.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}

/// <summary>One partner of an access request; groups and apps by ID from the assignable list.</summary>
public sealed record AccessRequestPartnerInput(
    string? Email,
    string? DisplayName,
    string? Company,
    string? Language,
    [property: JsonConverter(typeof(IdListConverter))] string? GroupIds,
    [property: JsonConverter(typeof(IdListConverter))] string? AppIds);

/// <summary>A new access request: why, and the partners (1–50).</summary>
public sealed record AccessRequestCreate(string? Justification, IReadOnlyList<AccessRequestPartnerInput>? Partners);

/// <summary>An approver's decision; the comment is required to reject.</summary>
/// <summary>An approver's decision: a comment, and for an approval the partners to invite by position (all when omitted; the others are rejected).</summary>
public sealed record AccessDecisionRequest(string? Comment, IReadOnlyList<int>? Partners = null);

/// <summary>A partner of a request and, once approved, how their invitation stands (the batch row's status).</summary>
public sealed record AccessRequestPartnerView(
    int Position, string Email, string DisplayName, string? Company, string? Language, string? GroupIds, string? AppIds, string? InvitationStatus,
    string Decision = "pending");

/// <summary>An access request as its requester and the approvers see it.</summary>
public sealed record AccessRequestView(
    Guid Id,
    string Status,
    string RequestedBy,
    DateTime RequestedAt,
    string Justification,
    string? DecidedBy,
    DateTime? DecidedAt,
    string? DecisionComment,
    Guid? BatchId,
    IReadOnlyList<AccessRequestPartnerView> Partners);
