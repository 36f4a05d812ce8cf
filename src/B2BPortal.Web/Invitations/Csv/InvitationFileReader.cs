using CsvHelper;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Opens an uploaded invitation file: refuses what is not a usable CSV file, detects encoding, separator and
/// format, and returns an <see cref="InvitationFile"/> whose rows stream from the input.
/// </summary>
public static class InvitationFileReader
{
    /// <summary>The longest row read (1 MiB): far more than a guest's row, far less than what would exhaust memory.</summary>
    internal const int MaxRecordBytes = 1024 * 1024;

    /// <summary>
    /// Reads the start of <paramref name="stream"/> (detection and header) synchronously. The stream need not be
    /// seekable and stays open; use <see cref="OpenAsync"/> on streams that forbid synchronous reads (a raw
    /// ASP.NET request body).
    /// </summary>
    /// <exception cref="InvitationFileRejectedException">The file is empty, not text, or its header fits no format.</exception>
    public static InvitationFile Open(Stream stream, InvitationFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var buffer = new byte[FileSniffer.SniffSize];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        var file = Create(stream, options, buffer, length);
        try
        {
            file.ReadHeader();
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Open"/>
    public static async Task<InvitationFile> OpenAsync(
        Stream stream, InvitationFileOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var buffer = new byte[FileSniffer.SniffSize];
        var length = 0;
        int read;
        while (length < buffer.Length &&
               (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        var file = Create(stream, options, buffer, length);
        try
        {
            await file.ReadHeaderAsync(cancellationToken);
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static InvitationFile Create(Stream stream, InvitationFileOptions options, byte[] buffer, int length)
    {
        if (options.MaxRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxRows must be at least 1.");
        }

        var sniffed = FileSniffer.Inspect(buffer, length);
        Stream input = new ReplayStream(buffer, length, stream);
        if (!sniffed.IsUtf16)
        {
            input = new LenientUtf8Stream(input);
        }

        var csvOptions = new CsvReaderOptions
        {
            // No Separator: CsvHelper detects , ; tab or | from the first lines (the Entra template's version:v1.0 line does
            // not mislead it), and DetectSeparatorHint takes Excel's "sep=;" first line as the separator and skips it, as Excel does.
            DetectSeparatorHint = true,
            HasHeader = false,

            // Null unless UTF-16 has no byte order mark: CsvHelper follows a byte order mark and reads UTF-8 otherwise.
            Encoding = sniffed.Utf16WithoutBom,
            TrimWhitespace = true,
            TrimInsideQuotes = true,
            SkipEmptyLines = false,
            AllowLineBreaksInQuotes = true,

            // An unclosed quote would swallow the rest of the file into one cell; stop at 1 MiB.
            MaxRecordSize = MaxRecordBytes,
            IncludeValuesInExceptions = false,
        };

        return new InvitationFile(input, csvOptions, options);
    }
}
