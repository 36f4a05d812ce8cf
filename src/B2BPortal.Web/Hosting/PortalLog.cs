namespace B2BPortal.Web.Hosting;

/// <summary>
/// Every message the portal writes to its log, in one place, so that one read checks them all for personal data: rows,
/// batches and admins are named by their ids, never by an address, a name or a token. An operator finds here every event
/// id an alert may filter on: 1xxx sending, 2xxx the portal's email, 3xxx redemption tracking and guest clean-up, 4xxx
/// reading the tenant's settings. One line each: the level, the text, and the values it names.
/// </summary>
internal static partial class PortalLog
{
    // Sending: the dispatcher's workers, one row's attempt, group adds, tokens of the admin a batch is sent as.
    [LoggerMessage(1001, LogLevel.Error, "Dispatcher worker failed; it carries on after a pause.")] public static partial void DispatcherWorkerFailed(this ILogger logger, Exception exception);
    [LoggerMessage(1002, LogLevel.Warning, "Took back {Count} invitation(s) this instance's previous run held when it stopped without releasing them; they are looked up before any is sent again.")] public static partial void TookBackLeftovers(this ILogger logger, int count);
    [LoggerMessage(1003, LogLevel.Error, "Invitation {InvitationId} could not be processed; it is retried when its lease expires.")] public static partial void InvitationNotProcessed(this ILogger logger, Exception exception, long invitationId);
    [LoggerMessage(1004, LogLevel.Information, "Invitation {InvitationId}: an earlier attempt had reached Graph; adopted the existing guest instead of inviting again.")] public static partial void AdoptedGuest(this ILogger logger, long invitationId);
    [LoggerMessage(1005, LogLevel.Warning, "Graph refused the portal for the whole tenant (abuse block or missing consent); the queue is paused until an admin resumes it.")] public static partial void TenantPaused(this ILogger logger);
    [LoggerMessage(1006, LogLevel.Warning, "Batch {BatchId} paused: its sending admin must sign in again; its rows wait in the queue.")] public static partial void BatchPaused(this ILogger logger, Guid batchId);
    [LoggerMessage(1007, LogLevel.Information, "Invitation {InvitationId}: Graph does not see the new guest yet (replication); assignments retried after {NextAttemptAt:o}.")] public static partial void WaitingForReplication(this ILogger logger, long invitationId, DateTime nextAttemptAt);
    [LoggerMessage(1008, LogLevel.Warning, "Invitation {InvitationId}: lease lost to another worker; its write was discarded.")] public static partial void LeaseLost(this ILogger logger, long invitationId);
    [LoggerMessage(1009, LogLevel.Information, "Invitation {InvitationId}: attempt {Attempt} failed transiently; retry after {NextAttemptAt:o}.")] public static partial void WillRetry(this ILogger logger, long invitationId, int attempt, DateTime nextAttemptAt);
    [LoggerMessage(1010, LogLevel.Error, "Sending group adds failed; the rows waiting for them are tried again later.")] public static partial void GroupAddsFailed(this ILogger logger, Exception exception);
    [LoggerMessage(1011, LogLevel.Warning, "Cannot act as admin {ObjectId} without a new sign-in (MSAL error {ErrorCode}).")] public static partial void AdminSignInNeeded(this ILogger logger, string objectId, string errorCode);

    // The portal's own invitation email.
    [LoggerMessage(2001, LogLevel.Debug, "Invitation {InvitationId}: the portal's email was sent.")] public static partial void EmailSent(this ILogger logger, long invitationId);
    [LoggerMessage(2002, LogLevel.Warning, "Invitation {InvitationId}: the mail transport's answer was lost; the email is marked unknown and not sent again by itself.")] public static partial void EmailUncertain(this ILogger logger, long invitationId);
    [LoggerMessage(2003, LogLevel.Warning, "Invitation {InvitationId}: the mail transport refused the portal's email.")] public static partial void EmailRefused(this ILogger logger, long invitationId);
    [LoggerMessage(2004, LogLevel.Information, "Invitation {InvitationId}: its admin has no mailbox to send from; sent from the configured mailbox instead.")] public static partial void EmailFromConfiguredMailbox(this ILogger logger, long invitationId);
    [LoggerMessage(2005, LogLevel.Warning, "{Count} portal emails were being sent when their sender stopped; they are marked unknown, not sent again.")] public static partial void EmailLeasesExpired(this ILogger logger, int count);
    [LoggerMessage(2006, LogLevel.Error, "The portal's email stage failed; it carries on after a pause.")] public static partial void EmailStageFailed(this ILogger logger, Exception exception);

    // After sending: the redemption tracker and guest clean-up.
    [LoggerMessage(3001, LogLevel.Information, "{Accepted} of {Waiting} invitations accepted since the last cycle ({Requests} Graph requests).")] public static partial void RedemptionsAccepted(this ILogger logger, int accepted, int waiting, int requests);
    [LoggerMessage(3002, LogLevel.Warning, "Redemption tracker cycle failed; the next one tries again.")] public static partial void TrackerCycleFailed(this ILogger logger, Exception exception);
    [LoggerMessage(3003, LogLevel.Information, "Guest clean-up: {Removed} removed, {Reinvited} re-invited, {Failed} failed; stopped: {Stopped}.")] public static partial void CleanupRan(this ILogger logger, int removed, int reinvited, int failed, string stopped);
    [LoggerMessage(3004, LogLevel.Warning, "Guest clean-up run failed; the next one tries again.")] public static partial void CleanupFailed(this ILogger logger, Exception exception);

    // The tenant's settings and the portal's own gauges, read in the background.
    [LoggerMessage(4001, LogLevel.Warning, "The tenant's verified domains could not be read ({Outcome}); uploads are not checked against them.")] public static partial void VerifiedDomainsUnreadable(this ILogger logger, string outcome);
    [LoggerMessage(4002, LogLevel.Warning, "The tenant's guest invite setting could not be read ({Outcome}); submissions are not checked against it.")] public static partial void GuestInvitePolicyUnreadable(this ILogger logger, string outcome);
    [LoggerMessage(4003, LogLevel.Warning, "The queue depth could not be read; the gauge reports nothing until the next collection.")] public static partial void QueueDepthUnreadable(this ILogger logger, Exception exception);
}
