using NpgsqlTypes;

namespace B2BPortal.Web.Data;

/// <summary>
/// The batch page's search: every word typed must begin a word of the row's address or name, in any case
/// ("jane", "doe", "fabrikam", "jane.doe@fab" and "Doe Jane" all find jane.doe@fabrikam.com, Jane Doe). Words are what
/// is left between the separators below, in the row and in the search alike. This is how the Entra admin center's
/// own user search behaves (it matches the start of names and addresses), and unlike "contains" an index can serve
/// it: PostgreSQL keeps the words as a tsvector with a GIN index (a search reads the few index entries that start with
/// the words, not the 50,000 rows of a batch), SQLite as a space-separated text it compares with LIKE.
/// </summary>
public static class InvitationSearch
{
    /// <summary>PostgreSQL: the row's words ('simple' configuration: lower-cased, nothing stemmed or dropped).</summary>
    public const string VectorProperty = "SearchVector";

    /// <summary>SQLite: the row's words separated by spaces.</summary>
    public const string WordsProperty = "SearchWords";

    /// <summary>Characters that end a word in an address or a name (besides white space).</summary>
    public static readonly string Separators = ".@-_+',;:()/\\\"&!?*<>|[]{}=#$%^~`\u2018\u2019";

    private const string RowText = "(\"NormalizedEmail\" || ' ' || coalesce(\"DisplayName\", ''))";

    /// <summary>SQLite: the words of the address and the name as one text (nested replace(): SQLite has no translate()).</summary>
    public static string WordsSql()
    {
        var sql = new StringBuilder(RowText);
        foreach (var separator in Separators)
        {
            sql.Insert(0, "replace(").Append(CultureInfo.InvariantCulture, $", '{Quote(separator)}', ' ')");
        }

        return sql.ToString();
    }

    /// <summary>
    /// PostgreSQL: the stored tsvector of the same words (translate() maps each separator to a space, as the nested
    /// replace() does; the 'simple' configuration lower-cases and neither stems nor drops a word).
    /// </summary>
    public static string VectorSql() =>
        $"to_tsvector('simple', translate({RowText}, '{string.Concat(Separators.Select(Quote))}', '{new string(' ', Separators.Length)}'))";

    private static string Quote(char c) => c == '\'' ? "''" : c.ToString();

    /// <summary>
    /// The words of a search as typed (case is left to the database, which folds the row's words the same way); empty
    /// when the search has none (only separators).
    /// </summary>
    public static IReadOnlyList<string> Words(string cleaned)
    {
        ArgumentNullException.ThrowIfNull(cleaned);
        var text = new StringBuilder(cleaned.Length);
        foreach (var c in cleaned)
        {
            text.Append(Separators.Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c) ? ' ' : c);
        }

        return text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase).Take(8).ToList();
    }

    /// <summary>
    /// How a word may be stored: as typed and lower-cased. The database folds the case of the row's words as far as its
    /// locale allows (ASCII only under the C locale and in SQLite), so "GÄST" must also be looked for as "gäst".
    /// </summary>
    public static IReadOnlyList<string> Forms(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var lower = word.ToLowerInvariant();
        return lower == word ? [word] : [word, lower];
    }

    /// <summary>
    /// A tsquery in which each word is a quoted prefix in each of its forms (('Jane':* | 'jane':*) &amp; 'doe':*). Words
    /// hold no quote or backslash (both are separators), so quoting cannot be escaped from.
    /// </summary>
    public static string PrefixQuery(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return string.Join(" & ", words.Select(w => "(" + string.Join(" | ", Forms(w).Select(f => $"'{f}':*")) + ")"));
    }

    /// <summary>Rows in which every one of <paramref name="words"/> begins a word of the address or name.</summary>
    public static IQueryable<Invitation> Matching(this IQueryable<Invitation> query, PortalDbContext db, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
        {
            // Only separators typed ("@", "-"): there is no word to look for, so nothing matches.
            return query.Where(i => false);
        }

        if (db.IsPostgres())
        {
            var prefixes = PrefixQuery(words);
            return query.Where(i => EF.Property<NpgsqlTsVector>(i, VectorProperty).Matches(EF.Functions.ToTsQuery("simple", prefixes)));
        }

        foreach (var word in words)
        {
            // A word of the row starts after a space (the leading one stands for the start of the text).
            var forms = Forms(word);
            var typed = "% " + LikeEscape(forms[0]) + "%";
            var lower = "% " + LikeEscape(forms[^1]) + "%";
            query = query.Where(i => EF.Functions.Like(" " + EF.Property<string>(i, WordsProperty), typed, "\\")
                || EF.Functions.Like(" " + EF.Property<string>(i, WordsProperty), lower, "\\"));
        }

        return query;
    }

    private static string LikeEscape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
