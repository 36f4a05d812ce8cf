using CsvHelper;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>One line of a batch's results.csv.</summary>
public sealed record ResultRow(
    int RowNumber,
    string Email,
    string? DisplayName,
    string Status,
    string? Errors,
    string? LastError,
    string? UserId,
    string? RedeemUrl,
    DateTime? InvitedAt,
    DateTime? AcceptedAt);

/// <summary>
/// Writes a batch's outcome for Excel: UTF-8 with a byte order mark (so accents survive), quoted where needed
/// ("Müller, Jürgen" stays one cell), and every text cell a spreadsheet would evaluate as a formula (leading
/// = + - @, tab or CR) escaped with a leading apostrophe.
/// </summary>
public static class ResultsCsv
{
    public static IReadOnlyList<string> Header { get; } =
    [
        "Row", "Email", "DisplayName", "Status", "Errors", "LastError", "UserId", "RedeemUrl",
        "InvitedAt (UTC)", "AcceptedAt (UTC)",
    ];

    private static readonly CsvWriterOptions _options = CsvWriterOptions.Default with
    {
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = true,
    };

    /// <summary>Writes the header and <paramref name="rows"/> to <paramref name="output"/>, which stays open.</summary>
    public static async Task WriteAsync(Stream output, IAsyncEnumerable<ResultRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var writer = CsvWriter.Create(output, _options, leaveOpen: true);
        await using (writer)
        {
            writer.WriteHeader([.. Header]);
            var fields = new string?[Header.Count];
            await foreach (var row in rows.WithCancellation(ct))
            {
                fields[0] = row.RowNumber.ToString(CultureInfo.InvariantCulture);
                fields[1] = row.Email;
                fields[2] = row.DisplayName;
                fields[3] = row.Status;
                fields[4] = row.Errors;
                fields[5] = row.LastError;
                fields[6] = row.UserId;
                fields[7] = row.RedeemUrl;
                fields[8] = FormatTime(row.InvitedAt);
                fields[9] = FormatTime(row.AcceptedAt);
                await writer.WriteRecordAsync(fields, ct);
            }

            await writer.FlushAsync(ct);
        }
    }

    // A form Excel recognises as a date and time in every locale.
    private static string? FormatTime(DateTime? value) =>
        value?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
