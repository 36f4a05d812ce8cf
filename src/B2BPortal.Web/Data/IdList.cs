namespace B2BPortal.Web.Data;

/// <summary>
/// Group and application IDs as rows, access requests and pre-approved domains store them: a list (text[] on PostgreSQL,
/// a JSON array on SQLite), each ID once, null rather than empty when there are none. Text appears only at the edges —
/// a CSV cell or form field read in, and the API's and pages' space-separated form written out — and is converted here.
/// </summary>
public static class IdList
{
    /// <summary>The separators a cell or field may use: the 2016 format has spaces, people also write ; and , or line breaks.</summary>
    private static readonly char[] _separators = [' ', ';', ',', '\t', '\r', '\n'];

    /// <summary>
    /// The most IDs one list may hold: what fitted the 4,000-character column the lists had as text (37 characters per GUID
    /// and its separator). Longer lists are refused by the row's validation, so a stored list stays bounded.
    /// </summary>
    public const int MaxCount = 108;

    /// <summary>The IDs of a cell or field as written, split, each once (ignoring case); null when there are none.</summary>
    public static List<string>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var ids = Split(text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return ids.Count == 0 ? null : ids;
    }

    /// <summary>The IDs of a cell or field as written, split, without dropping repeats (what validation looks at).</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(_separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A list as one space-separated cell ("id1 id2"), the form the API and the CSV columns use; null when empty.</summary>
    public static string? Text(IReadOnlyCollection<string>? ids) => ids is null || ids.Count == 0 ? null : string.Join(' ', ids);

    /// <summary>The IDs of a list, none for null.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<string>? ids) => ids ?? [];

    /// <summary>Every ID of <paramref name="requested"/> is in <paramref name="allowed"/> (ignoring case).</summary>
    public static bool Within(IReadOnlyCollection<string>? requested, IReadOnlyCollection<string>? allowed)
    {
        var granted = (allowed ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (requested ?? []).All(granted.Contains);
    }
}
