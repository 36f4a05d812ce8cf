using B2BPortal.Web.Guests;

namespace B2BPortal.Web.Api;

/// <summary>
/// Guest clean-up in API v1 (issue 13), the operations of the Guests › Clean-up page: the dry run, a run and a restore.
/// Global Administrators (cookie) and automation clients with the app role; every run and restore is audited like the page's.
/// </summary>
public static class GuestsApi
{
    internal static async Task<IResult> PlanAsync(GuestCleanup cleanup, CancellationToken ct) =>
        TypedResults.Ok(CleanupPlanView.From(await cleanup.PlanAsync(ct)));

    internal static async Task<IResult> RunAsync(GuestCleanup cleanup, HttpContext context, CancellationToken ct)
    {
        if (!cleanup.Rules.AnyRule)
        {
            return TypedResults.Problem(
                detail: "No clean-up rule is configured: set Portal:Cleanup:ReinviteAfterDays, RemoveUnacceptedAfterDays or RemoveInactiveAfterDays.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var result = await cleanup.RunAsync(context.User.ActorName(), ct);
        if (result.StoppedBecause == GuestCleanup.AlreadyRunning)
        {
            return TypedResults.Problem(detail: GuestCleanup.AlreadyRunning, statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(new CleanupRunView(
            CleanupPlanView.From(result.Plan), result.Removed, result.Reinvited, result.Failures, result.StoppedBecause, result.SponsorsAsked));
    }

    internal static async Task<IResult> RestoreAsync(long invitationId, GuestCleanup cleanup, HttpContext context, CancellationToken ct)
    {
        var (restored, message) = await cleanup.RestoreAsync(invitationId, context.User.ActorName(), ct);
        return restored
            ? TypedResults.Ok(new GuestRestoredView(invitationId, message))
            : TypedResults.Problem(detail: message, statusCode: StatusCodes.Status409Conflict);
    }
}

/// <summary>One guest the dry run would touch: <c>action</c> is <c>reinvite</c>, <c>remove</c> or <c>askSponsor</c>.</summary>
public sealed record CleanupActionView(long InvitationId, string UserId, string Email, string? DisplayName, string Action, string Reason);

/// <summary>A guest a rule would touch but clean-up leaves alone, and why.</summary>
public sealed record CleanupSkipView(long InvitationId, string Email, string Reason);

/// <summary>The dry run; <c>problem</c> when Graph could not be read (a run would do nothing).</summary>
public sealed record CleanupPlanView(IReadOnlyList<CleanupActionView> Actions, IReadOnlyList<CleanupSkipView> Skipped, string? SignInNotReported, string? Problem)
{
    public static CleanupPlanView From(CleanupPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(
            [.. plan.Actions.Select(a => new CleanupActionView(a.InvitationId, a.GraphUserId, a.Email, a.DisplayName, a.Kind switch { CleanupKind.Remove => "remove", CleanupKind.AskSponsor => "askSponsor", _ => "reinvite" }, a.Reason))],
            [.. plan.Skipped.Select(s => new CleanupSkipView(s.InvitationId, s.Email, s.Reason))],
            plan.SignInNotReported,
            plan.Problem);
    }
}

/// <summary>What a run did; <c>stoppedBecause</c> when it ended early (paused, throttled, Graph refusing).</summary>
public sealed record CleanupRunView(CleanupPlanView Plan, int Removed, int Reinvited, IReadOnlyList<string> Failures, string? StoppedBecause, int SponsorsAsked = 0);

public sealed record GuestRestoredView(long InvitationId, string Message);
