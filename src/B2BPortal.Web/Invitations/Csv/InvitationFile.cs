using System.Runtime.CompilerServices;
using CsvHelper;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// An opened invitation file whose header has been read: its format, the columns found, and its rows, read
/// lazily from the input (nothing holds the whole file). Rows can be enumerated once.
/// </summary>
// Not the library's: CsvHelper's header is the first record and ShouldSkipRecord hides rows from its count, but the header may follow a version line and blank rows, and row numbers count them.
public sealed class InvitationFile : IDisposable, IAsyncDisposable
{
    private readonly CsvReader _reader;
    private readonly InvitationFileOptions _options;
    private readonly int[] _fieldIndex = new int[Enum.GetValues<InvitationField>().Length];
    private bool _skippedSeparatorHint;
    private bool _sawContent;
    private bool _unterminatedQuote;

    // The first row that named no known column, kept while the next few rows are read in case one is the header.
    private (int Row, InvitationFileRejectedException Rejection)? _notHeader;
    private bool _enumerated;
    private int _rowNumber;
    private int _dataRows;

    internal InvitationFile(Stream input, CsvReaderOptions csvOptions, InvitationFileOptions options)
    {
        _options = options;
        _reader = CsvReader.Create(
            input,
            csvOptions with { OnMalformedRecord = OnMalformed },
            leaveOpen: false);
    }

    /// <summary>The format the header names.</summary>
    public CsvFormat Format { get; private set; }

    /// <summary>The recognised columns of <see cref="Format"/> found in the header, as canonical names.</summary>
    public IReadOnlyList<string> Columns { get; private set; } = [];

    /// <summary>The field separator CsvHelper detected: ',' ';' tab or '|'.</summary>
    public char Separator { get; private set; }

    /// <summary>Data rows returned so far (blank lines and the Entra <c>Example:</c> row are not data rows).</summary>
    public int DataRowCount => _dataRows;

    /// <summary>
    /// The data rows, read as they are enumerated. Blank lines and the Entra template's <c>Example:</c> row are
    /// skipped (they still count for <see cref="InvitationRow.RowNumber"/>).
    /// </summary>
    /// <exception cref="InvitationFileRejectedException">
    /// While enumerating: more than <see cref="InvitationFileOptions.MaxRows"/> data rows, a quote that never
    /// closes; at the end: no data rows at all.
    /// </exception>
    public IEnumerable<InvitationRow> ReadRows()
    {
        StartRows();
        while (Next())
        {
            var row = TakeRow();
            if (row is not null)
            {
                yield return row;
            }
        }

        Finish();
    }

    /// <inheritdoc cref="ReadRows"/>
    public async IAsyncEnumerable<InvitationRow> ReadRowsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StartRows();
        while (await NextAsync(cancellationToken))
        {
            var row = TakeRow();
            if (row is not null)
            {
                yield return row;
            }
        }

        Finish();
    }

    public void Dispose() => _reader.Dispose();

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    internal void ReadHeader()
    {
        while (Next())
        {
            if (TakeHeaderCandidate())
            {
                Separator = _reader.Separator;
                return;
            }
        }

        throw _notHeader?.Rejection ?? NoHeader();
    }

    internal async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        while (await NextAsync(cancellationToken))
        {
            if (TakeHeaderCandidate())
            {
                Separator = _reader.Separator;
                return;
            }
        }

        throw _notHeader?.Rejection ?? NoHeader();
    }

    private bool Next()
    {
        try
        {
            return _reader.Read();
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(ex);
        }
    }

    private async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadAsync(cancellationToken);
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(ex);
        }
    }

    private void OnMalformed(CsvMalformedRecord record)
    {
        if (record.Reason == CsvMalformedReason.UnterminatedQuote)
        {
            _unterminatedQuote = true;
        }
    }

    /// <summary>Handles a record before the header; true when it was the header.</summary>
    private bool TakeHeaderCandidate()
    {
        var first = Cell(0);
        if (!_sawContent && !_skippedSeparatorHint && IsLooseSeparatorHint(first))
        {
            _skippedSeparatorHint = true;
            return false;
        }

        _rowNumber++;
        CheckQuotes();
        if (IsBlank())
        {
            return false;
        }

        if (!_sawContent && first.StartsWith("version:", StringComparison.OrdinalIgnoreCase) && _reader.FieldCount <= 1 + TrailingEmpty())
        {
            _sawContent = true;
            return false;
        }

        _sawContent = true;
        return MapHeader();
    }

    /// <summary>
    /// A "sep=;" line with spaces around it or below blank lines, passed over like the exact first line CsvHelper's
    /// DetectSeparatorHint takes (and which alone it takes): cells "sep=" and an empty one when ; is the separator,
    /// else "sep=;" alone.
    /// </summary>
    private bool IsLooseSeparatorHint(string first) =>
        first.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) &&
        (_reader.FieldCount == 1 ? first.Length == 5 : _reader.FieldCount == 2 && first.Length == 4 && Cell(1).Length == 0);

    private int TrailingEmpty()
    {
        var count = 0;
        for (var i = _reader.FieldCount - 1; i > 0 && string.IsNullOrWhiteSpace(Cell(i)); i--)
        {
            count++;
        }

        return count;
    }

    /// <summary>Rows above the header that are looked past (a title, a note) before the first row is refused.</summary>
    private const int MaxRowsAboveHeader = 5;

    /// <summary>Maps the columns when the row is a header; false when it names no known column but a header may follow.</summary>
    private bool MapHeader()
    {
        var headers = new string[_reader.FieldCount];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = Cell(i);
        }

        var legacy = headers.Select(InvitationColumns.MatchLegacy).ToArray();
        var entra = headers.Select(InvitationColumns.MatchEntra).ToArray();
        var legacyHits = legacy.Count(c => c is not null);
        var entraHits = entra.Count(c => c is not null);
        if (legacyHits == 0 && entraHits == 0)
        {
            _notHeader ??= (_rowNumber, new InvitationFileRejectedException(NoKnownColumns(headers)));
            if (LooksLikeData(headers) || _rowNumber - _notHeader.Value.Row >= MaxRowsAboveHeader)
            {
                throw _notHeader.Value.Rejection;
            }

            return false;
        }

        if (_notHeader is { Row: var first })
        {
            // The header is there, lower down. Reading on from it would silently drop what is above it (which may be
            // something the admin meant to send), so say which rows to delete.
            var above = first == _rowNumber - 1 ? $"row {first}" : $"rows {first} to {_rowNumber - 1}";
            throw new InvitationFileRejectedException(
                $"Row {_rowNumber} is the header row, but {above} above it {(first == _rowNumber - 1 ? "is" : "are")} not part of " +
                $"the list (a title or a note?). The header row must be the first row of the file: delete {above} and " +
                "upload the file again.");
        }

        Format = entraHits > 0 && entraHits >= legacyHits ? CsvFormat.Entra : CsvFormat.Legacy;
        var matches = Format == CsvFormat.Entra ? entra : legacy;

        Array.Fill(_fieldIndex, -1);
        for (var i = 0; i < matches.Length; i++)
        {
            if (matches[i] is not { } column)
            {
                continue;
            }

            var earlier = _fieldIndex[(int)column.Field];
            if (earlier >= 0)
            {
                // Two columns for one field: whichever we picked, half the admin's data would be silently ignored.
                throw new InvitationFileRejectedException(
                    $"The header row (row {_rowNumber}) has the {column.Name} column twice: column {SpreadsheetColumn(earlier)} " +
                    $"('{headers[earlier]}') and column {SpreadsheetColumn(i)} ('{headers[i]}'). Keep one of them, delete or " +
                    "rename the other, and upload the file again.");
            }

            _fieldIndex[(int)column.Field] = i;
        }

        var known = InvitationColumns.Of(Format);
        Columns = [.. known.Where(c => _fieldIndex[(int)c.Field] >= 0).Select(c => c.Name)];
        var missing = known.Where(c => c.Required && _fieldIndex[(int)c.Field] < 0)
            .Where(c => !(_options.ContactUsOptional && c.Field == InvitationField.ContactUsUrl))
            .Select(c => Show(c.Name)).ToList();
        if (missing.Count > 0)
        {
            var formatName = Format == CsvFormat.Entra
                ? "the Microsoft Entra bulk-invite template"
                : "the 2016 Azure AD B2B collaboration format";
            var noun = missing.Count == 1 ? "column" : "columns";
            throw new InvitationFileRejectedException(
                $"The header row (row {_rowNumber}) looks like {formatName} but has no " +
                $"{InvitationColumns.JoinAnd(missing)} {noun}. Expected columns: " +
                $"{InvitationColumns.Describe(Format)}. Add the missing {noun} to the header row, or start from " +
                "the template on the Upload page.");
        }

        return true;

        string Show(string name) => Format == CsvFormat.Entra ? $"[{name}]" : name;
    }

    private static bool LooksLikeData(string[] cells) => cells.Any(h => h.Contains('@', StringComparison.Ordinal));

    /// <summary>The letter a spreadsheet shows for a zero-based column: 0 → A, 26 → AA.</summary>
    internal static string SpreadsheetColumn(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private string NoKnownColumns(string[] headers)
    {
        var why = LooksLikeData(headers)
            ? $"Row {_rowNumber} looks like data (it contains an email address), but the first row must be the header row naming the columns."
            : $"The header row (row {_rowNumber}) names none of the columns of a supported format.";
        return why +
            $" The 2016 Azure AD B2B collaboration format has the columns {InvitationColumns.Describe(CsvFormat.Legacy)}." +
            $" The Microsoft Entra bulk-invite template has {InvitationColumns.Describe(CsvFormat.Entra)}." +
            " Add the header row, or copy your rows into a template from the Upload page.";
    }

    private InvitationFileRejectedException NoHeader() => new(
        "The file has no header row and no invitation rows. Upload a CSV file whose first row names the columns " +
        $"({InvitationColumns.JoinAnd(InvitationColumns.Required(CsvFormat.Legacy))} for the 2016 format, or " +
        "[inviteeEmail] and [inviteRedirectURL] for the Entra bulk-invite template) followed by one row per guest.");

    private InvitationFileRejectedException Unreadable(CsvFormatException ex) => IsTooLarge(ex)
        ? new(
            $"Row {_rowNumber + 1} is longer than the {InvitationFileReader.MaxRecordBytes / (1024 * 1024)} MB a row may have, " +
            "so it cannot be one guest's row: a cell in it opens a quote (\") that is never closed, so the rest of the file " +
            "runs into it, or a cell holds far more than a name, an address or a message. Close or remove the quote, or " +
            "shorten the cell, and save the file again.",
            ex)
        : new(
            $"Row {_rowNumber + 1} could not be read: a cell in it seems to open a quote (\") that is never closed, " +
            "so the rest of the file would be one cell. Close or remove the quote and save the file again.",
            ex);

    // CsvHelper says "too large to buffer" / "longer than MaxRecordSize" and has no reason code for it.
    private static bool IsTooLarge(CsvFormatException ex) =>
        ex.Message.Contains("too large", StringComparison.OrdinalIgnoreCase) ||
        ex.Message.Contains(nameof(CsvReaderOptions.MaxRecordSize), StringComparison.Ordinal);

    private void StartRows()
    {
        if (_enumerated)
        {
            throw new InvalidOperationException("The rows of an invitation file can be read once.");
        }

        _enumerated = true;
    }

    private InvitationRow? TakeRow()
    {
        _rowNumber++;
        CheckQuotes();
        if (IsBlank())
        {
            return null;
        }

        if (Format == CsvFormat.Entra && Cell(0).StartsWith("Example:", StringComparison.OrdinalIgnoreCase))
        {
            return null; // the template's sample row, which people forget to delete
        }

        _dataRows++;
        if (_dataRows > _options.MaxRows)
        {
            var limit = _options.MaxRows.ToString("N0", CultureInfo.InvariantCulture);
            throw new InvitationFileRejectedException(
                $"The file has more than {limit} invitation rows; the limit is {limit} rows per file. " +
                $"Split it into files of at most {limit} rows and upload each of them.");
        }

        return new InvitationRow(
            _rowNumber,
            Email: Field(InvitationField.Email),
            DisplayName: Field(InvitationField.DisplayName),
            ContactUsUrl: Field(InvitationField.ContactUsUrl),
            BrandingAppId: Field(InvitationField.BrandingAppId),
            AppIds: Field(InvitationField.AppIds),
            GroupIds: Field(InvitationField.GroupIds),
            RedirectUrl: Field(InvitationField.RedirectUrl),
            Language: Field(InvitationField.Language),
            SendEmail: Field(InvitationField.SendEmail),
            CustomMessage: Field(InvitationField.CustomMessage));
    }

    private void Finish()
    {
        if (_dataRows == 0)
        {
            var example = Format == CsvFormat.Entra ? " (the template's Example: row is not an invitation)" : "";
            throw new InvitationFileRejectedException(
                $"The file has a header row but no invitation rows{example}. Add one row per guest below the " +
                "header and upload it again.");
        }
    }

    private void CheckQuotes()
    {
        if (_unterminatedQuote)
        {
            throw new InvitationFileRejectedException(
                $"Row {_rowNumber} has a cell that opens a quote (\") that is never closed, so everything after it " +
                "would be read as one cell. Close or remove the quote and save the file again.");
        }
    }

    private string? Field(InvitationField field)
    {
        var index = _fieldIndex[(int)field];
        if (index < 0 || index >= _reader.FieldCount || _reader.IsEmpty(index))
        {
            return null;
        }

        var value = _reader.GetString(index).Trim();
        return value.Length == 0 ? null : value;
    }

    private string Cell(int index) =>
        index < _reader.FieldCount && !_reader.IsEmpty(index) ? _reader.GetString(index).Trim() : "";

    private bool IsBlank()
    {
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            if (!_reader.IsEmpty(i) && !string.IsNullOrWhiteSpace(_reader.GetString(i)))
            {
                return false;
            }
        }

        return true;
    }
}
