using B2BPortal.Web.Data;
using Npgsql;

namespace B2BPortal.Web.UnitTests.Data;

public sealed class DatabaseSetupTests
{
    [Fact]
    public void WithAutoPrepare_PlainConnectionString_PreparesStatementsAndSkipsTheResetOnClose()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db;Database=portal;Username=portal"));

        Assert.Equal(50, built.MaxAutoPrepare);
        Assert.Equal(2, built.AutoPrepareMinUsages);
        Assert.True(built.NoResetOnClose);
        Assert.Equal("db", built.Host);
    }

    [Fact]
    public void WithAutoPrepare_OperatorChoseOtherwise_KeepsTheirSettings()
    {
        // A pooler that cannot keep prepared statements, or session state the operator relies on.
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db;Max Auto Prepare=0;No Reset On Close=false"));

        Assert.Equal(0, built.MaxAutoPrepare);
        Assert.False(built.NoResetOnClose);
    }
}
