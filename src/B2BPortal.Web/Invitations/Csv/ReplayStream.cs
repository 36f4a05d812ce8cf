namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Returns the bytes already sniffed from a non-seekable stream, then the rest of it: detection looks at the
/// start of an upload without buffering the whole body. Does not own the inner stream.
/// </summary>
// Not the library's: CsvHelper reads the stream from where it is, and a request body cannot seek back over the sniffed bytes.
internal sealed class ReplayStream(byte[] prefix, int prefixLength, Stream inner) : ReadOnlyStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefixLength)
        {
            return CopyPrefix(buffer);
        }

        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < prefixLength)
        {
            return ValueTask.FromResult(CopyPrefix(buffer.Span));
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }

    private int CopyPrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, prefixLength - _position);
        prefix.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
