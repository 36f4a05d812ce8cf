using System.Collections.Frozen;

namespace B2BPortal.Web.Delivery;

/// <summary>The 2016 seed's language codes mapped to the culture names Graph's messageLanguage takes (default en-US).</summary>
public static class MessageLanguages
{
    public const string Default = "en-US";

    private static readonly FrozenDictionary<string, string> Map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "en-US",
        ["de"] = "de-DE",
        ["es"] = "es-ES",
        ["fr"] = "fr-FR",
        ["it"] = "it-IT",
        ["ja"] = "ja-JP",
        ["ko"] = "ko-KR",
        ["pt-BR"] = "pt-BR",
        ["ru"] = "ru-RU",
        ["zh-HANS"] = "zh-CN",
        ["zh-HANT"] = "zh-TW",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Graph's culture for a seed code; unknown or empty codes fall back to English rather than failing the row.</summary>
    public static string ToGraph(string? seedCode) =>
        !string.IsNullOrWhiteSpace(seedCode) && Map.TryGetValue(seedCode.Trim(), out var culture) ? culture : Default;
}
