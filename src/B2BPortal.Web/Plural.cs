namespace B2BPortal.Web;

/// <summary>"1 invitation", "2 invitations", "1 row is", "3 rows are": counts read as English, never "1 invitations".</summary>
public static class Plural
{
    /// <summary>The count (grouped: 1,000) and the noun in the right number; <paramref name="plural"/> defaults to noun + "s".</summary>
    public static string Of(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {Word(count, singular, plural)}");

    public static string Word(long count, string singular, string? plural = null) =>
        count == 1 ? singular : plural ?? singular + "s";

    /// <summary>"is" or "are" for the count.</summary>
    public static string Is(long count) => count == 1 ? "is" : "are";

    /// <summary>"has" or "have" for the count.</summary>
    public static string Has(long count) => count == 1 ? "has" : "have";
}
