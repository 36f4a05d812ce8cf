namespace B2BPortal.Web.Invitations.Csv;

/// <summary>The address rules Microsoft Graph applies to <c>invitedUserEmailAddress</c> (docs/graph.md), said in words.</summary>
public static class GuestEmail
{
    public const int MaxLength = 254;

    /// <summary>Characters Graph refuses in an invitation address.</summary>
    public const string ForbiddenCharacters = "~!#$%^&*()+=[]{}\\/|;:\"<>?,";

    private const string Example = "like name@partner.com";

    /// <summary>Trimmed and lower-cased: the key for duplicate detection and directory look-ups.</summary>
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Why <paramref name="email"/> cannot be invited, as the end of a sentence that also says the fix
    /// ("is not a valid address — it must …"); null when Graph accepts it. The value is not repeated, only the part to keep when the cell holds more than the address.
    /// </summary>
    public static string? FindProblem(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (email.Length > MaxLength)
        {
            return $"is {email.Length} characters long, more than the {MaxLength} an address may have — check that the cell holds one address";
        }

        // Shapes people paste from mail clients: say which part to keep rather than "remove the space".
        if (email.LastIndexOf('<') is var open and >= 0 && email.IndexOf('>', open) is var close and > 0 &&
            email[(open + 1)..close].Trim() is { Length: > 0 } inner && inner.Contains('@', StringComparison.Ordinal))
        {
            return $"holds a name and an address as copied from a mail program ('Name <address>') — keep only the address, {inner}";
        }

        if (email.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return $"starts with 'mailto:' (copied from a link) — keep only the address, {email[7..]}";
        }

        if (email.Any(char.IsWhiteSpace))
        {
            return "contains a space — remove it; if the cell holds several addresses, put each on its own row";
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != email.LastIndexOf('@'))
        {
            return $"is not a valid address — it must have exactly one '@' and a domain, {Example}";
        }

        var forbidden = email.IndexOfAny(ForbiddenCharacters.ToCharArray());
        if (forbidden >= 0)
        {
            var ch = email[forbidden];
            var hint = ch is ',' or ';'
                ? "put each address on its own row"
                : "remove it or correct the address";
            return $"contains '{ch}', which an invitation address cannot contain (not allowed: {string.Join(' ', ForbiddenCharacters.ToCharArray())}) — {hint}";
        }

        var local = email[..at];
        var domain = email[(at + 1)..];
        if (local.Length == 0)
        {
            return $"has nothing before the '@' — it must look {Example}";
        }

        if (local[0] is '.' or '-' || local[^1] is '.' or '-')
        {
            return "starts or ends with '.' or '-' before the '@', which an invitation address cannot — correct the address";
        }

        if (local.Contains("..", StringComparison.Ordinal))
        {
            return "has two dots in a row before the '@' — correct the address";
        }

        if (!IsDomain(domain))
        {
            return domain.Length == 0
                ? $"has no domain after the '@' — it must look {Example}"
                : $"does not end in a full domain after the '@' (a name with a dot, such as partner.com) — correct the address, {Example}";
        }

        return null;
    }

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[^1] == '-' ||
                !label.All(c => char.IsLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
