using B2BPortal.Simulator.Graph;

namespace B2BPortal.Simulator.Tests.Graph;

public sealed class GraphFilterTests
{
    private static readonly HashSet<string> Filterable = ["id", "mail", "userPrincipalName", "otherMails", "externalUserState", "accountEnabled"];

    private static readonly Dictionary<string, object?> Guest = new()
    {
        ["id"] = "abc",
        ["mail"] = "Pat@Fabrikam.example",
        ["userPrincipalName"] = "pat_fabrikam.example#EXT#@contoso.onmicrosoft.com",
        ["otherMails"] = new[] { "pat@fabrikam.example", "pat.alt@fabrikam.example" },
        ["externalUserState"] = "PendingAcceptance",
        ["accountEnabled"] = true,
    };

    [Theory]
    [InlineData("mail eq 'pat@fabrikam.example'", true)]
    [InlineData("mail ne 'pat@fabrikam.example'", false)]
    [InlineData("mail eq 'x@y.z' or otherMails/any(x:x eq 'PAT.ALT@fabrikam.example')", true)]
    [InlineData("otherMails/any(m:m eq 'nobody@fabrikam.example')", false)]
    [InlineData("id in ('x', 'abc')", true)]
    [InlineData("id in ('x')", false)]
    [InlineData("externalUserState eq 'PendingAcceptance' and accountEnabled eq true", true)]
    [InlineData("not (externalUserState eq 'Accepted')", true)]
    [InlineData("(mail eq 'a@b.c' or mail eq 'pat@fabrikam.example') and id eq 'abc'", true)]
    [InlineData("externalUserState eq null", false)]
    [InlineData("startsWith(userPrincipalName, 'pat_')", true)]
    [InlineData("mail eq 'it''s@fabrikam.example'", false)]
    public void Evaluate_Expression_MatchesLikeGraph(string filter, bool expected)
    {
        var predicate = GraphFilter.Parse(filter, Filterable);

        Assert.Equal(expected, predicate(name => Guest.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData("displayName eq 'x'")]
    [InlineData("mail gt 'x'")]
    [InlineData("mail eq 'unterminated")]
    [InlineData("mail eq 'a' extra")]
    public void Parse_UnsupportedOrInvalid_Throws(string filter) =>
        Assert.Throws<GraphFilterException>(() => GraphFilter.Parse(filter, Filterable));

    [Fact]
    public void Parse_SixteenValuesInIn_Throws()
    {
        var values = string.Join(',', Enumerable.Range(0, 16).Select(i => $"'{i}'"));

        var error = Assert.Throws<GraphFilterException>(() => GraphFilter.Parse($"id in ({values})", Filterable));

        Assert.Contains("Max allowed: 15", error.Message, StringComparison.Ordinal);
    }
}
