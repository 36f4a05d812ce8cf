using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator.Graph;

/// <summary>
/// <c>POST /users/{id | userPrincipalName}/sendMail</c> and <c>POST /me/sendMail</c> with Graph's rules: a delegated token
/// sends only as the signed-in person; an app-only token (application Mail.Send) as any mailbox; a user without a mailbox
/// and a <c>from</c> the sender may not use are refused as Exchange Online refuses them.
/// </summary>
internal static class GraphMail
{
    public static GraphResult SendAsMe(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        caller.Principal.Person is { } person
            ? Send(request, person.Id, caller, tenant)
            : GraphResult.Error(400, "BadRequest", "/me request is only valid with delegated authentication flow.");

    public static GraphResult SendAsUser(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        Send(request, ids[0], caller, tenant);

    private static GraphResult Send(GraphRequest request, string idOrUpn, GraphCaller caller, SimulatedTenant tenant)
    {
        var sender = tenant.FindUser(idOrUpn);
        if (sender is null)
        {
            return GraphResult.Error(404, "ErrorInvalidUser", $"The requested user '{idOrUpn}' is invalid.");
        }

        // Delegated Mail.Send is the signed-in person's own mailbox (other mailboxes need Mail.Send.Shared and Exchange rights).
        if (caller.Principal.Person is { } person && !string.Equals(person.Id, sender.Id, StringComparison.OrdinalIgnoreCase))
        {
            return GraphResult.Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }

        if (sender.UserType != "Member" || sender.Mail is null)
        {
            return GraphResult.Error(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        }

        if (Parse(request.Body) is not { } mail)
        {
            return GraphResult.Error(400, "ErrorInvalidRequest", "The 'message' parameter of sendMail is required.");
        }

        if (mail.To.Count + mail.Cc.Count + mail.Bcc.Count == 0)
        {
            return GraphResult.Error(400, "ErrorInvalidRecipients",
                "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
        }

        if (mail.From is not null && !string.Equals(mail.From, sender.Mail, StringComparison.OrdinalIgnoreCase))
        {
            return GraphResult.Error(403, "ErrorSendAsDenied",
                "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.");
        }

        tenant.DeliverMail(mail, sender, caller.Principal);
        return new GraphResult(202, null);
    }

    /// <summary>Reads Graph's sendMail body: <c>message { subject, body { contentType, content }, toRecipients, ccRecipients, bccRecipients, from }</c>.</summary>
    private static OutgoingMail? Parse(JsonNode? body)
    {
        // Graph's action parameters are case-insensitive; the SDK sends them as declared in its metadata ("Message").
        var message = (body as JsonObject)?.FirstOrDefault(p => string.Equals(p.Key, "message", StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
        if (message is null)
        {
            return null;
        }

        var content = message["body"] as JsonObject;
        var contentType = GraphApi.Text(content, "contentType") ?? "text";
        return new OutgoingMail(
            GraphApi.Text(message, "subject") ?? string.Empty,
            string.Equals(contentType, "html", StringComparison.OrdinalIgnoreCase),
            GraphApi.Text(content, "content") ?? string.Empty,
            Addresses(message["toRecipients"]),
            Addresses(message["ccRecipients"]),
            Addresses(message["bccRecipients"]),
            message["from"]?["emailAddress"]?["address"]?.GetValue<string>());
    }

    private static List<string> Addresses(JsonNode? recipients) =>
        (recipients as JsonArray)?
            .Select(r => r?["emailAddress"]?["address"] is JsonValue v && v.TryGetValue<string>(out var a) ? a : null)
            .OfType<string>()
            .Where(a => a.Length > 0)
            .ToList() ?? [];
}
