using B2BPortal.Web.Hosting;

namespace B2BPortal.Web.UnitTests.Hosting;

public sealed class PositiveAttributeTests
{
    private static readonly PositiveAttribute Rule = new("Section:Setting");

    public static TheoryData<object?, bool> Values => new()
    {
        { null, true },
        { 1, true },
        { 0, false },
        { -1L, false },
        { 0.5, true },
        { 0.0, false },
        { TimeSpan.FromMilliseconds(1), true },
        { TimeSpan.Zero, false },
        { TimeSpan.FromSeconds(-5), false },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void IsValid_AboveZeroOrUnset_IsValid(object? value, bool valid) => Assert.Equal(valid, Rule.IsValid(value));

    [Fact]
    public void FormatErrorMessage_NamesTheSetting() =>
        Assert.Equal("Section:Setting must be positive.", Rule.FormatErrorMessage("Setting"));

    [Fact]
    public void IsValid_AnotherType_FailsSayingItDoesNotApply() =>
        Assert.Contains("String", Assert.Throws<InvalidOperationException>(() => Rule.IsValid("5")).Message, StringComparison.Ordinal);
}
