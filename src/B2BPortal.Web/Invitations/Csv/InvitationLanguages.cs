namespace B2BPortal.Web.Invitations.Csv;

/// <summary>The invitation languages of the 2016 format (the seed's 11), matched without case.</summary>
public static class InvitationLanguages
{
    public static IReadOnlyList<string> All { get; } =
        ["en", "de", "es", "fr", "it", "ja", "ko", "pt-BR", "ru", "zh-HANS", "zh-HANT"];

    /// <summary>The code in its canonical case ("PT-br" → "pt-BR"); false when it is not supported.</summary>
    public static bool TryGetCanonical(string code, out string canonical)
    {
        ArgumentNullException.ThrowIfNull(code);
        var trimmed = code.Trim();
        canonical = All.FirstOrDefault(l => string.Equals(l, trimmed, StringComparison.OrdinalIgnoreCase)) ?? "";
        return canonical.Length > 0;
    }
}
