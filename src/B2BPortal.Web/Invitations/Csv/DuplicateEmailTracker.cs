namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Finds the same guest twice in one file (addresses compared normalized, so case does not matter): the later
/// row is invalid and its error names the row that came first.
/// </summary>
public sealed class DuplicateEmailTracker(CsvFormat format = CsvFormat.Legacy, RowRules rules = RowRules.File)
{
    private readonly Dictionary<string, int> _firstRow = new(StringComparer.Ordinal);

    /// <summary>
    /// Records the address of a row (pass <see cref="GuestEmail.Normalize"/>d valid addresses, in file order) and
    /// returns an error when an earlier row had it; the first row keeps the address.
    /// </summary>
    public RowError? Check(int rowNumber, string normalizedEmail)
    {
        ArgumentNullException.ThrowIfNull(normalizedEmail);
        if (normalizedEmail.Length == 0)
        {
            return null;
        }

        if (_firstRow.TryAdd(normalizedEmail, rowNumber))
        {
            return null;
        }

        var column = InvitationColumns.NameOf(format, InvitationField.Email);
        var first = _firstRow[normalizedEmail];
        return new RowError(
            column,
            InvitationRowValidator.Prefix(rules, rowNumber, column) +
            $"{InvitationRowValidator.Quote(normalizedEmail)} also appears in row {first}; each guest once per file — " +
            "delete this row or fix the address.");
    }
}
