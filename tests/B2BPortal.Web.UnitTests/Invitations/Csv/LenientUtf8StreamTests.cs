using System.Text;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class LenientUtf8StreamTests
{
    static LenientUtf8StreamTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Decode(byte[] input, int chunk, int outputBuffer = 4096)
    {
        using var source = new ChunkedStream(input, chunk);
        using var lenient = new LenientUtf8Stream(source);
        using var output = new MemoryStream();
        var buffer = new byte[outputBuffer];
        int read;
        while ((read = lenient.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Read_ValidUtf8SplitAcrossReads_PassesThroughUnchanged(int chunk)
    {
        const string text = "Jürgen Müller – 李小龍 😀 François";

        Assert.Equal(text, Decode(Encoding.UTF8.GetBytes(text), chunk));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Read_Windows1252Bytes_BecomeTheirCharacters(int chunk)
    {
        const string text = "Jürgen Müller – Säge € ‚quoted‘ œ";

        Assert.Equal(text, Decode(Encoding.GetEncoding(1252).GetBytes(text), chunk));
    }

    [Fact]
    public void Read_MixedUtf8AndWindows1252_DecodesEachByteSequenceByItself()
    {
        byte[] input = [.. Encoding.UTF8.GetBytes("Müller;"), .. Encoding.GetEncoding(1252).GetBytes("Müller;"), 0xC3];

        Assert.Equal("Müller;Müller;Ã", Decode(input, 3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_TinyOutputBuffers_StillGetEveryCharacter(int outputBuffer)
    {
        const string text = "ü€😀a";

        Assert.Equal(text, Decode(Encoding.UTF8.GetBytes(text), 2, outputBuffer));
    }

    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
