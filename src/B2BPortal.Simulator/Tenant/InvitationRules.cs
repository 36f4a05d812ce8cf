namespace B2BPortal.Simulator.Tenant;

/// <summary>Graph's checks on <c>invitedUserEmailAddress</c>.</summary>
internal static class InvitationRules
{
    private const string ForbiddenCharacters = "~!#$%^&*()+=[]{}\\/|;:\"<>?,";

    /// <summary>Returns why the address is refused, or null when Graph would accept it.</summary>
    public static string? InvalidEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return "The invited user email address is invalid.";
        }

        if (email.Any(c => ForbiddenCharacters.Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c)))
        {
            return "The invited user email address contains characters that are not allowed.";
        }

        var local = email[..at];
        var domain = email[(at + 1)..];
        foreach (var part in new[] { local, domain })
        {
            if (part[0] is '.' or '-' || part[^1] is '.' or '-')
            {
                return "The invited user email address is invalid.";
            }
        }

        return domain.Contains('.', StringComparison.Ordinal) ? null : "The invited user email address is invalid.";
    }
}
