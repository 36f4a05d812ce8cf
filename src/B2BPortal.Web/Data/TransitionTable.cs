namespace B2BPortal.Web.Data;

/// <summary>One allowed change: the named transition, the statuses it may start from, and the status it leads to.</summary>
public sealed record TransitionRule<TTransition, TStatus>(TTransition Transition, IReadOnlyList<TStatus> From, TStatus To)
    where TTransition : struct, Enum
    where TStatus : struct, Enum;

/// <summary>
/// The table of allowed status changes a lifecycle keeps (<see cref="BatchLifecycle"/>, <see cref="InvitationLifecycle"/>):
/// each named transition once, so the table read by the tests is the one the writes apply.
/// </summary>
public sealed class TransitionTable<TTransition, TStatus>(IReadOnlyList<TransitionRule<TTransition, TStatus>> rules)
    where TTransition : struct, Enum
    where TStatus : struct, Enum
{
    public IReadOnlyList<TransitionRule<TTransition, TStatus>> Rules => rules;

    public TransitionRule<TTransition, TStatus> Of(TTransition transition) =>
        rules.Single(r => EqualityComparer<TTransition>.Default.Equals(r.Transition, transition));

    /// <summary>True when some transition takes a row from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool IsAllowed(TStatus from, TStatus to) =>
        rules.Any(r => EqualityComparer<TStatus>.Default.Equals(r.To, to) && r.From.Contains(from));
}
