namespace B2BPortal.Web.Data;

/// <summary>Filter text typed into a search box or a hand-edited link, made safe to compare in the database.</summary>
public static class QueryText
{
    /// <summary>
    /// Trimmed, without control characters (PostgreSQL refuses a NUL in text, which would turn a stray %00 into a
    /// server error), and null when nothing is left.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var kept = text.Any(char.IsControl) ? new string([.. text.Where(c => !char.IsControl(c))]) : text;
        kept = kept.Trim();
        return kept.Length == 0 ? null : kept;
    }
}
