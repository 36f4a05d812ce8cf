using System.Buffers;

namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Passes valid UTF-8 through and reads every byte that is not valid UTF-8 as Windows-1252, producing UTF-8.
/// Excel in Western European locales saves Windows-1252 ("Jürgen Müller" as FC/FC bytes), which is never valid
/// UTF-8; deciding byte by byte while streaming means an accent in row 40,000 is decoded as well as one in row 2,
/// without first reading the whole file to pick one encoding.
/// </summary>
// Not the library's: CsvHelper decodes a stream in one encoding (CsvReaderOptions.Encoding), so mixed bytes come out as U+FFFD or mojibake.
internal sealed class LenientUtf8Stream(Stream inner) : ReadOnlyStream
{
    private static readonly byte[][] _windows1252 = BuildWindows1252Table();

    // One converted character needs up to 4 output bytes; smaller reads go through _pending.
    private const int MinOutput = 4;

    private readonly byte[] _input = new byte[16 * 1024];
    private readonly byte[] _pending = new byte[MinOutput];
    private int _pendingStart;
    private int _pendingEnd;
    private int _start;
    private int _end;
    private bool _innerEnded;

    /// <summary>Whether any byte had to be read as Windows-1252.</summary>
    public bool SawWindows1252 { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length < MinOutput)
        {
            return ReadSmall(buffer);
        }

        while (true)
        {
            if (NeedsInput())
            {
                Compact();
                Received(inner.Read(_input.AsSpan(_end)));
            }

            var written = Convert(buffer);
            if (written > 0 || (_innerEnded && _start == _end))
            {
                return written;
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length < MinOutput)
        {
            return ReadSmall(buffer.Span);
        }

        while (true)
        {
            if (NeedsInput())
            {
                Compact();
                Received(await inner.ReadAsync(_input.AsMemory(_end), cancellationToken));
            }

            var written = Convert(buffer.Span);
            if (written > 0 || (_innerEnded && _start == _end))
            {
                return written;
            }
        }
    }

    private int ReadSmall(Span<byte> buffer)
    {
        if (_pendingStart == _pendingEnd)
        {
            _pendingStart = 0;
            _pendingEnd = Read(_pending);
        }

        var count = Math.Min(buffer.Length, _pendingEnd - _pendingStart);
        _pending.AsSpan(_pendingStart, count).CopyTo(buffer);
        _pendingStart += count;
        return count;
    }

    // A UTF-8 sequence is at most 4 bytes: with fewer buffered, a split sequence could look invalid.
    private bool NeedsInput() => !_innerEnded && _end - _start < 4;

    private void Compact()
    {
        if (_start > 0)
        {
            _input.AsSpan(_start, _end - _start).CopyTo(_input);
            _end -= _start;
            _start = 0;
        }
    }

    private void Received(int read)
    {
        if (read == 0)
        {
            _innerEnded = true;
        }

        _end += read;
    }

    private int Convert(Span<byte> output)
    {
        var written = 0;

        // Each input byte becomes at most 3 output bytes (Windows-1252 → UTF-8), a valid sequence at most 4.
        while (_start < _end && output.Length - written >= MinOutput)
        {
            var available = _input.AsSpan(_start, _end - _start);
            var room = output.Length - written;

            var ascii = available[..Math.Min(available.Length, room)].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii != 0)
            {
                var count = ascii < 0 ? Math.Min(available.Length, room) : ascii;
                available[..count].CopyTo(output[written..]);
                written += count;
                _start += count;
                continue;
            }

            var status = Rune.DecodeFromUtf8(available, out _, out var consumed);
            if (status == OperationStatus.NeedMoreData && !_innerEnded)
            {
                break; // wait for the rest of the sequence
            }

            if (status == OperationStatus.Done)
            {
                available[..consumed].CopyTo(output[written..]);
                written += consumed;
                _start += consumed;
                continue;
            }

            var replacement = _windows1252[available[0] - 0x80];
            replacement.CopyTo(output[written..]);
            written += replacement.Length;
            _start++;
            SawWindows1252 = true;
        }

        return written;
    }

    private static byte[][] BuildWindows1252Table()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var windows1252 = Encoding.GetEncoding(1252);
        var table = new byte[128][];
        for (var b = 0x80; b <= 0xFF; b++)
        {
            table[b - 0x80] = Encoding.UTF8.GetBytes(windows1252.GetString([(byte)b]));
        }

        return table;
    }
}
