namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// A forward-only, read-only stream: the members a decorator that only reads has to override with "not supported".
/// Subclasses implement <see cref="Stream.Read(Span{byte})"/> and <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>;
/// the array overloads go through them.
/// </summary>
// Not the library's: neither CsvHelper nor .NET has a read-only Stream base for these two decorators.
internal abstract class ReadOnlyStream : Stream
{
    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
