using System.Globalization;
using System.Text;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class LargeFileStreamingTests
{
    [Fact]
    public void ReadRows_FiftyThousandRowsFromAGeneratedStream_ReadsAllWhileOnlyBufferingAFewRowsAhead()
    {
        using var source = new GeneratedCsvStream(rows: 50_000);
        using var file = InvitationFileReader.Open(source, InvitationFileOptions.Default);

        var count = 0;
        long maxAhead = 0;
        foreach (var row in file.ReadRows())
        {
            count++;
            Assert.Equal(count + 1, row.RowNumber);
            Assert.Equal($"guest{count}@fabrikam.com", row.Email);

            // Bytes the reader has pulled beyond the end of the row it just returned.
            maxAhead = Math.Max(maxAhead, source.BytesProduced - source.EndOfRow(count));
        }

        Assert.Equal(50_000, count);
        Assert.Equal(50_000, file.DataRowCount);
        Assert.True(source.TotalBytes > 4_000_000, $"the file is {source.TotalBytes} bytes");

        // The reader never had more than a few buffers of the 4 MB file: it streams, it does not slurp.
        Assert.True(maxAhead < 512 * 1024, $"read {maxAhead} bytes ahead of the rows returned");
    }

    [Fact]
    public void ReadRows_OneRowOverTheDefaultLimit_IsRejectedAfterStreamingToIt()
    {
        using var source = new GeneratedCsvStream(rows: 50_001);
        using var file = InvitationFileReader.Open(source, InvitationFileOptions.Default);

        var read = 0;
        var rejected = Assert.Throws<InvitationFileRejectedException>(() =>
        {
            foreach (var _ in file.ReadRows())
            {
                read++;
            }
        });

        Assert.Equal(50_000, read);
        Assert.StartsWith("The file has more than 50,000 invitation rows; the limit is 50,000 rows per file.", rejected.Detail, StringComparison.Ordinal);
    }

    /// <summary>A non-seekable CSV body whose rows are produced as they are read, never existing as a whole.</summary>
    private sealed class GeneratedCsvStream(int rows) : Stream
    {
        private static readonly byte[] _header = Encoding.UTF8.GetBytes(
            "Email,DisplayName,InviteContactUsUrl,InviteGroupResources,Language\r\n");

        private byte[] _current = _header;
        private int _offset;
        private int _next = 1;
        private readonly List<long> _rowEnds = new(rows);
        private long _generated;

        public long BytesProduced { get; private set; }

        public long TotalBytes => _header.Length + Enumerable.Range(1, rows).Sum(i => (long)Row(i).Length);

        /// <summary>Where row <paramref name="row"/> (1-based data row) ends in the bytes produced so far.</summary>
        public long EndOfRow(int row) => _rowEnds[row - 1];

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
            if (_offset == _current.Length)
            {
                if (_next > rows)
                {
                    return 0;
                }

                _current = Row(_next++);
                _offset = 0;
                _generated += _current.Length;
                _rowEnds.Add(_header.Length + _generated);
            }

            var n = Math.Min(count, _current.Length - _offset);
            Array.Copy(_current, _offset, buffer, offset, n);
            _offset += n;
            BytesProduced += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static byte[] Row(int i) => Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"guest{i}@fabrikam.com,\"Guest {i}, Fabrikam\",https://fabrikam.com/contact,\"{Guid.Empty} {Guid.Empty}\",de\r\n"));
    }
}
