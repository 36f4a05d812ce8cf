using B2BPortal.Web.Api;

namespace B2BPortal.Web.UnitTests.Api;

public sealed class ApiOperationsTests
{
    [Theory]
    [InlineData("BatchDetail", typeof(BatchDetail))]
    [InlineData("PagedResult<BatchSummary>", typeof(PagedResult<BatchSummary>))]
    [InlineData("AccessRequestView[]", typeof(AccessRequestView[]))]
    [InlineData("string", typeof(string))]
    public void TypeNamed_NameAsTheFileWritesIt_IsTheApiType(string name, Type expected) =>
        Assert.Equal(expected, ApiOperations.TypeNamed(name));

    [Fact]
    public void TypeNamed_UnknownType_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiOperations.TypeNamed("PagedResult<BatchSumary>"));
        Assert.Contains("BatchSumary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_TheFileIsEmbedded_DescribesEveryApiV1Operation() =>
        Assert.Equal(21, ApiOperations.Ids.Count());
}
