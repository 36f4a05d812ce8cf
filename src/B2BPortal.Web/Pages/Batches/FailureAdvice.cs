namespace B2BPortal.Web.Pages.Batches;

/// <summary>A failed row's reason in plain words and what the admin can do about it.</summary>
public sealed record FailureAdvice(string Reason, string Action)
{
    // Graph's messages (docs/graph.md, and what the dispatcher records) mapped to advice; first match wins.
    private static readonly (string[] Needles, FailureAdvice Advice)[] Known =
    [
        (["already a member of your organization"], new(
            "The address belongs to a member of your organisation, so the portal did not invite it as a guest nor add that member to the row's groups or apps.",
            "Remove the row and give the member access directly; if the partner has an address of their own, invite that one instead.")),
        (["replication"], new(
            "The guest was invited, but Microsoft Graph still did not see the new account when the portal tried to add it to a group or app.",
            "Wait a few minutes, then re-send the row: the failed group or app assignment is tried again (the guest also gets the invitation email again).")),
        (["verified domain"], new(
            "The address belongs to your own organisation (a verified domain of this tenant), so it cannot be invited as a guest.",
            "Remove the row: people in your own domains sign in with their work account. If it is a partner, ask for their own address.")),
        (["cross-tenant access", "blocked by"], new(
            "Your tenant's cross-tenant access or external collaboration settings block invitations to this domain.",
            "Ask an administrator to allow the domain in Entra ID › External Identities, then re-send the failed rows.")),
        (["blocked from signing in", "unblock the account"], new(
            "The guest already exists in your directory but their account is blocked from signing in.",
            "Unblock the account in Entra ID (or delete it), then re-send.")),
        (["suspicious activity"], new(
            "Microsoft paused invitations for the whole tenant (an abuse block).",
            "Contact Microsoft support; once the block is lifted, resume sending on the dashboard and re-send.")),
        (["throttled", "too many", "retry-after"], new(
            "Microsoft Graph kept asking the portal to slow down and the row ran out of attempts.",
            "Re-send the failed rows later; the portal paces itself automatically.")),
        (["gave up after", "did not answer", "timed out", "http 5", "connection to graph failed", "service unavailable"], new(
            "Microsoft Graph did not answer successfully after every attempt (timeouts or server errors).",
            "Usually temporary: re-send the failed rows. If it keeps happening, check Microsoft 365 service health.")),
        (["insufficient privileges", "authorization_requestdenied"], new(
            "The portal's app registration lacks a Microsoft Graph permission.",
            "Ask an administrator to grant the permissions listed in the README (admin consent), then re-send.")),
        (["invalid", "not allowed"], new(
            "Microsoft Graph did not accept the email address.",
            "Correct the address in your file and upload it again (or invite the guest with the single-invitation form).")),
        (["does not exist", "not found"], new(
            "A group or application in the row does not exist in your tenant.",
            "Check the IDs in the InviteGroupResources/InviteAppResources columns; the guest was invited but not added there.")),
    ];

    public static FailureAdvice For(string? lastError)
    {
        if (string.IsNullOrWhiteSpace(lastError))
        {
            return new("The invitation failed without a message from Microsoft Graph.", "Re-send the failed rows; if it fails again, check the portal's logs.");
        }

        foreach (var (needles, advice) in Known)
        {
            if (needles.Any(n => lastError.Contains(n, StringComparison.OrdinalIgnoreCase)))
            {
                return advice;
            }
        }

        return new("Microsoft Graph refused the invitation.", "Read Graph's message below, fix what it names, then re-send.");
    }
}
