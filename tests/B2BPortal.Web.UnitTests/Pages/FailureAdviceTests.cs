using B2BPortal.Web.Pages.Batches;

namespace B2BPortal.Web.UnitTests.Pages;

/// <summary>Graph's messages (as the simulator and Entra word them) become a plain reason and what to do.</summary>
public sealed class FailureAdviceTests
{
    [Theory]
    [InlineData("This user cannot be invited because the domain of the user's email address is a verified domain of this directory.", "your own organisation")]
    [InlineData("This invitation is blocked by cross-tenant access settings.", "cross-tenant access")]
    [InlineData("The invited user email address is invalid.", "did not accept the email address")]
    [InlineData("The invited user already exists in the directory as object ID: 1, but the account is blocked from signing in. Unblock the account or use a different email address.", "blocked from signing in")]
    [InlineData("Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support.", "abuse block")]
    [InlineData("Throttled by Graph.", "slow down")]
    [InlineData("HTTP 503: Service unavailable.", "did not answer successfully")]
    [InlineData("Graph did not answer in time.", "did not answer successfully")]
    [InlineData("Gave up after 8 attempts.", "did not answer successfully")]
    [InlineData("Group 1f2e: Resource '1f2e' does not exist or one of its queried reference-property objects are not present.", "does not exist in your tenant")]
    [InlineData("ann@contoso.example is already a member of your organization, so it is not invited as a guest and gets no groups or apps from this row.", "member of your organisation")]
    [InlineData("Group 1f2e: Graph does not see the new guest yet (replication): Resource '9a' does not exist or one of its queried reference-property objects are not present. Still not visible 10 minutes after the invitation; re-send the row to try again.", "still did not see the new account")]
    [InlineData("Group 1f2e: Group not found: 1f2e does not exist in this tenant. Check the group's object ID in the file.", "does not exist in your tenant")]
    public void KnownMessages_GetTheirOwnReason(string graphMessage, string expected)
    {
        var advice = FailureAdvice.For(graphMessage);
        Assert.Contains(expected, advice.Reason, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(advice.Action));
    }

    [Fact]
    public void UnknownMessage_PointsToGraphsOwnWords()
    {
        var advice = FailureAdvice.For("Something new from Graph.");
        Assert.Equal("Microsoft Graph refused the invitation.", advice.Reason);
        Assert.Contains("Graph's message", advice.Action, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0 invitations")]
    [InlineData(1, "1 invitation")]
    [InlineData(2, "2 invitations")]
    [InlineData(12345, "12,345 invitations")]
    public void Plural_CountsReadAsEnglish(long count, string expected) =>
        Assert.Equal(expected, Plural.Of(count, "invitation"));
}
