namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// An invitation language of the 2016 format: the code a row's Language column holds, its English name for the help
/// page, and the culture Microsoft Graph's <c>invitedUserMessageInfo.messageLanguage</c> takes for it.
/// </summary>
public sealed record InvitationLanguage(string Code, string Name, string GraphCulture);

/// <summary>The invitation languages of the 2016 format (the seed's 11), matched without case: the one list of them.</summary>
public static class InvitationLanguages
{
    /// <summary>Graph's culture when a row names no language (English).</summary>
    public const string DefaultGraphCulture = "en-US";

    public static IReadOnlyList<InvitationLanguage> Supported { get; } =
    [
        new("en", "English", "en-US"), new("de", "German", "de-DE"), new("es", "Spanish", "es-ES"),
        new("fr", "French", "fr-FR"), new("it", "Italian", "it-IT"), new("ja", "Japanese", "ja-JP"),
        new("ko", "Korean", "ko-KR"), new("pt-BR", "Portuguese (Brazil)", "pt-BR"), new("ru", "Russian", "ru-RU"),
        new("zh-HANS", "Chinese (Simplified)", "zh-CN"), new("zh-HANT", "Chinese (Traditional)", "zh-TW"),
    ];

    /// <summary>The codes, in the order the help page and the messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Supported.Select(l => l.Code)];

    /// <summary>The code in its canonical case ("PT-br" → "pt-BR"); false when it is not supported.</summary>
    public static bool TryGetCanonical(string code, out string canonical)
    {
        ArgumentNullException.ThrowIfNull(code);
        canonical = Find(code)?.Code ?? "";
        return canonical.Length > 0;
    }

    /// <summary>Graph's culture for a code; unknown or empty codes fall back to English rather than failing the row.</summary>
    public static string ToGraph(string? code) => Find(code)?.GraphCulture ?? DefaultGraphCulture;

    private static InvitationLanguage? Find(string? code)
    {
        var trimmed = code?.Trim();
        return string.IsNullOrEmpty(trimmed)
            ? null
            : Supported.FirstOrDefault(l => string.Equals(l.Code, trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
