namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Looks at the first bytes of an upload: refuses what is not text (workbooks, PDFs, binaries) and tells UTF-16 from
/// UTF-8. The separator, Excel's <c>sep=</c> line and byte order marks are CsvHelper's (see <see cref="InvitationFileReader"/>).
/// </summary>
// Not the library's: CsvHelper reads any bytes as text (a workbook becomes a garbled header) and takes input without a byte order mark for UTF-8.
internal static class FileSniffer
{
    /// <summary>How much of the start of a file detection looks at; the rest is streamed.</summary>
    public const int SniffSize = 64 * 1024;

    private const string SaveAsCsv =
        "In Excel choose File › Save As › \"CSV UTF-8 (Comma delimited) (*.csv)\" and upload that file.";

    public static Sniffed Inspect(byte[] buffer, int length)
    {
        var bytes = buffer.AsSpan(0, length);
        if (length == 0)
        {
            throw new InvitationFileRejectedException(
                "The file is empty (0 bytes). Upload a CSV file with a header row and one row per guest; " +
                "the Upload page has a template for each supported format.");
        }

        RejectKnownBinaryFormats(bytes);

        var unicode = DetectUtf16(bytes);
        string text;
        if (unicode is not null)
        {
            var bom = unicode.Preamble.Length > 0 && bytes.StartsWith(unicode.Preamble) ? unicode.Preamble.Length : 0;
            var usable = (length - bom) & ~1;
            text = unicode.GetString(buffer, bom, usable);
        }
        else
        {
            RejectBinary(bytes);
            var bom = bytes.StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;

            // Only whether there is any text matters here: a lossy decode is enough.
            text = Encoding.UTF8.GetString(buffer, bom, length - bom);
        }

        if (string.IsNullOrWhiteSpace(text.Replace("\0", "", StringComparison.Ordinal)))
        {
            throw new InvitationFileRejectedException(
                "The file has no text in it. Upload a CSV file with a header row and one row per guest; " +
                "the Upload page has a template for each supported format.");
        }

        return new Sniffed(unicode is not null, unicode?.Preamble.Length == 0 ? unicode : null);
    }

    private static void RejectKnownBinaryFormats(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("PK\x03\x04"u8))
        {
            throw new InvitationFileRejectedException(
                "This is an Excel workbook (.xlsx) or another zip file, not a CSV file. " + SaveAsCsv);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            throw new InvitationFileRejectedException(
                "This is an Excel 97-2003 workbook (.xls), not a CSV file. " + SaveAsCsv);
        }

        if (bytes.StartsWith("%PDF"u8))
        {
            throw new InvitationFileRejectedException(
                "This is a PDF document, not a CSV file. Export the list of guests from the spreadsheet it came " +
                "from as CSV and upload that file.");
        }
    }

    /// <summary>UTF-16 by byte order mark, or without one when every other byte is NUL (ASCII text in UTF-16).</summary>
    private static UnicodeEncoding? DetectUtf16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true);
        }

        var sample = bytes[..(Math.Min(bytes.Length, 4096) & ~1)];
        if (sample.Length < 8)
        {
            return null;
        }

        int evenNul = 0, oddNul = 0;
        for (var i = 0; i < sample.Length; i += 2)
        {
            evenNul += sample[i] == 0 ? 1 : 0;
            oddNul += sample[i + 1] == 0 ? 1 : 0;
        }

        var pairs = sample.Length / 2;
        if (oddNul >= pairs * 9 / 10 && evenNul == 0)
        {
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        }

        if (evenNul >= pairs * 9 / 10 && oddNul == 0)
        {
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: false);
        }

        return null;
    }

    private const int MaxStrayControls = 8;

    /// <summary>Text files have no NUL bytes and few control characters; binaries have plenty.</summary>
    private static void RejectBinary(ReadOnlySpan<byte> bytes)
    {
        var controls = 0;
        foreach (var b in bytes)
        {
            if (b == 0)
            {
                controls = int.MaxValue;
                break;
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1A))
            {
                controls++;
            }
        }

        // A few stray control characters (an escape pasted with a name) leave a short file text: the row check then
        // names the row and the column. Binaries have far more.
        if (controls > Math.Max(bytes.Length / 100, MaxStrayControls))
        {
            throw new InvitationFileRejectedException(
                "This file is not text (it contains binary data), so it is not a CSV file. " + SaveAsCsv);
        }
    }

    /// <param name="IsUtf16">Whether the file is UTF-16, with or without a byte order mark; otherwise UTF-8 / Windows-1252.</param>
    /// <param name="Utf16WithoutBom">
    /// The encoding to tell CsvHelper for UTF-16 without a byte order mark; null when it can tell by itself (a byte order
    /// mark, or UTF-8).
    /// </param>
    internal sealed record Sniffed(bool IsUtf16, UnicodeEncoding? Utf16WithoutBom);
}
