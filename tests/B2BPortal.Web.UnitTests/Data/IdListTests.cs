using B2BPortal.Web.Data;

namespace B2BPortal.Web.UnitTests.Data;

public class IdListTests
{
    [Fact]
    public void Parse_SeparatorsPeopleUse_EachIdOnceInOrder()
    {
        Assert.Equal(["a", "B", "c", "d"], IdList.Parse(" a  B;c,\td\r\nb A "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ; , ")]
    public void Parse_NoIds_IsNull(string? text)
    {
        Assert.Null(IdList.Parse(text));
    }

    [Fact]
    public void Text_IsTheSpaceSeparatedCell_NullWhenEmpty()
    {
        Assert.Equal("a b", IdList.Text(["a", "b"]));
        Assert.Null(IdList.Text([]));
        Assert.Null(IdList.Text(null));
    }

    [Fact]
    public void Within_EveryRequestedIdAllowed_IgnoringCase()
    {
        Assert.True(IdList.Within(["A"], ["b", "a"]));
        Assert.True(IdList.Within(null, ["a"]));
        Assert.True(IdList.Within(null, null));
        Assert.False(IdList.Within(["a", "c"], ["a", "b"]));
        Assert.False(IdList.Within(["a"], null));
    }
}
