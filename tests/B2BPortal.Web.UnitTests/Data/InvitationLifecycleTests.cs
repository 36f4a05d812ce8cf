using B2BPortal.Web.Data;

namespace B2BPortal.Web.UnitTests.Data;

/// <summary>The tables of allowed status changes, checked against the lifecycle written out here by hand.</summary>
public sealed class InvitationLifecycleTests
{
    // The life of a row as the product describes it; a change to the code's table must be a change here too.
    private static readonly (InvitationStatus From, InvitationStatus To)[] _allowedRowChanges =
    [
        (InvitationStatus.Held, InvitationStatus.Queued),      // submit
        (InvitationStatus.Held, InvitationStatus.Cancelled),   // discard
        (InvitationStatus.Queued, InvitationStatus.Sending),   // claim
        (InvitationStatus.Sending, InvitationStatus.Sending),  // claim after the lease ran out
        (InvitationStatus.Sending, InvitationStatus.Queued),   // release, retry
        (InvitationStatus.Sending, InvitationStatus.Invited),  // invited
        (InvitationStatus.Sending, InvitationStatus.Failed),   // failed
        (InvitationStatus.Queued, InvitationStatus.Cancelled), // cancel
        (InvitationStatus.Sending, InvitationStatus.Cancelled), // cancel wins over a row coming back from its worker
        (InvitationStatus.Failed, InvitationStatus.Queued),    // re-send
        (InvitationStatus.Cancelled, InvitationStatus.Queued), // re-send (only rows once submitted)
        (InvitationStatus.Invited, InvitationStatus.Queued),   // re-send to a guest who has not accepted
        (InvitationStatus.Accepted, InvitationStatus.Queued),  // re-send with redemption reset
        (InvitationStatus.Invited, InvitationStatus.Accepted), // accepted
    ];

    private static readonly (BatchStatus From, BatchStatus To)[] _allowedBatchChanges =
    [
        (BatchStatus.Review, BatchStatus.Submitted),
        (BatchStatus.Review, BatchStatus.Discarded),
        (BatchStatus.Submitted, BatchStatus.Cancelled),
        (BatchStatus.Submitted, BatchStatus.Submitted),
        (BatchStatus.Cancelled, BatchStatus.Submitted),
    ];

    public static TheoryData<InvitationStatus, InvitationStatus> ForbiddenRowChanges()
    {
        var data = new TheoryData<InvitationStatus, InvitationStatus>();
        foreach (var from in Enum.GetValues<InvitationStatus>())
        {
            foreach (var to in Enum.GetValues<InvitationStatus>().Where(to => !_allowedRowChanges.Contains((from, to))))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    public static TheoryData<BatchStatus, BatchStatus> ForbiddenBatchChanges()
    {
        var data = new TheoryData<BatchStatus, BatchStatus>();
        foreach (var from in Enum.GetValues<BatchStatus>())
        {
            foreach (var to in Enum.GetValues<BatchStatus>().Where(to => !_allowedBatchChanges.Contains((from, to))))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenRowChanges))]
    public void IsAllowed_ForbiddenRowChange_IsRefused(InvitationStatus from, InvitationStatus to) =>
        Assert.False(InvitationLifecycle.Transitions.IsAllowed(from, to), $"{from} → {to} must not be a transition.");

    [Fact]
    public void IsAllowed_EveryChangeOfTheLifecycle_IsATransition() =>
        Assert.All(_allowedRowChanges, c => Assert.True(InvitationLifecycle.Transitions.IsAllowed(c.From, c.To), $"{c.From} → {c.To} should be allowed."));

    [Fact]
    public void Rules_EveryNamedTransitionHasExactlyOneRule() =>
        Assert.Equal(Enum.GetValues<InvitationTransition>().Order(), InvitationLifecycle.Transitions.Rules.Select(r => r.Transition).Order());

    [Fact]
    public void Rules_FinalStatusesHaveNoWayOutButResend()
    {
        Assert.DoesNotContain(InvitationLifecycle.Transitions.Rules, r => r.From.Contains(InvitationStatus.Invalid));
        Assert.Equal(
            [InvitationTransition.Resend],
            InvitationLifecycle.Transitions.Rules.Where(r => r.From.Contains(InvitationStatus.Accepted) || r.From.Contains(InvitationStatus.Cancelled)).Select(r => r.Transition));
    }

    [Theory]
    [InlineData(false, false, InvitationStatus.Invalid)]
    [InlineData(false, true, InvitationStatus.Invalid)]
    [InlineData(true, false, InvitationStatus.Held)]
    [InlineData(true, true, InvitationStatus.Queued)]
    public void Created_NewRow_IsInvalidHeldOrQueued(bool valid, bool submit, InvitationStatus expected) =>
        Assert.Equal(expected, InvitationLifecycle.Created(valid, submit));

    [Theory]
    [MemberData(nameof(ForbiddenBatchChanges))]
    public void BatchIsAllowed_ForbiddenChange_IsRefused(BatchStatus from, BatchStatus to) =>
        Assert.False(BatchLifecycle.Transitions.IsAllowed(from, to), $"{from} → {to} must not be a batch transition.");

    [Fact]
    public void BatchIsAllowed_EveryChangeOfTheLifecycle_IsATransition() =>
        Assert.All(_allowedBatchChanges, c => Assert.True(BatchLifecycle.Transitions.IsAllowed(c.From, c.To), $"{c.From} → {c.To} should be allowed."));
}
