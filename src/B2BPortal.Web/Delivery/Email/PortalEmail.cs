namespace B2BPortal.Web.Delivery.Email;

/// <summary>One row's portal email stage in one word, as the API and the batch page show it.</summary>
public static class PortalEmail
{
    /// <summary><c>queued</c>, <c>sending</c>, <c>sent</c>, <c>failed</c>, or null when the portal writes no email for the row.</summary>
    public static string? StatusOf(Invitation row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row switch
        {
            { EmailSentAt: not null } => "sent",
            { EmailError: not null } => "failed",
            { EmailLeaseUntil: not null } => "sending",
            { EmailDueAt: not null } => "queued",
            _ => null,
        };
    }

    /// <summary>What the batch page says next to the row's status.</summary>
    public static string? Describe(Invitation row) => StatusOf(row) switch
    {
        "sent" => "email sent",
        "failed" => "email not sent",
        "sending" => "email being sent",
        "queued" => "email queued",
        _ => null,
    };
}
