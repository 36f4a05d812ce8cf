using System.Text;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

/// <summary>Real file bytes in the encodings admins' tools write, and a way to read them like an upload.</summary>
internal static class CsvBytes
{
    static CsvBytes() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public const string LegacyHeader =
        "Email,DisplayName,InviteAppID,InviteReplyUrl,InviteAppResources,InviteGroupResources,InviteContactUsUrl";

    public const string EntraHeader =
        "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required," +
        "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Utf8WithBom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];

    public static byte[] Utf16LeWithBom(string text) => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)];

    public static byte[] Utf16BeWithBom(string text) => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)];

    public static byte[] Windows1252(string text) => Encoding.GetEncoding(1252).GetBytes(text);

    /// <summary>Opens the bytes through a non-seekable stream (as a request body) and reads every row.</summary>
    public static (InvitationFile File, List<InvitationRow> Rows) Read(byte[] bytes, int maxRows = 50_000)
    {
        using var stream = new NonSeekableStream(bytes);
        var file = InvitationFileReader.Open(stream, new InvitationFileOptions(maxRows));
        using (file)
        {
            return (file, file.ReadRows().ToList());
        }
    }

    public static InvitationFileRejectedException Rejected(byte[] bytes, int maxRows = 50_000) =>
        Assert.Throws<InvitationFileRejectedException>(() => Read(bytes, maxRows));
}

/// <summary>A read-only stream that cannot seek or report its length, like ASP.NET's request and form streams.</summary>
internal sealed class NonSeekableStream(byte[] bytes) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // Hand out small pieces so sequences split across reads are exercised.
        var n = Math.Min(Math.Min(count, 1000), bytes.Length - _position);
        Array.Copy(bytes, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Like Kestrel's request body with AllowSynchronousIO off: synchronous reads throw.</summary>
internal sealed class AsyncOnlyStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override int Read(Span<byte> buffer) =>
        throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await _inner.ReadAsync(buffer[..Math.Min(buffer.Length, 700)], cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
