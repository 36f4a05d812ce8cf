using Microsoft.EntityFrameworkCore.Query;

namespace B2BPortal.Web.Data;

/// <summary>The named changes of a batch's status; <see cref="BatchLifecycle.Transitions"/> says which are allowed.</summary>
public enum BatchTransition
{
    /// <summary>"Send N invitations" after review.</summary>
    Submit,

    /// <summary>"Discard" at review; final.</summary>
    Discard,

    /// <summary>Cancel what is still queued after submission.</summary>
    Cancel,

    /// <summary>A re-send put rows back in the queue: a cancelled batch is being sent again.</summary>
    Resend,
}

/// <summary>
/// A batch's life: Review → Submitted or Discarded; Submitted ⇄ Cancelled (cancel, re-send). Discarded is final.
/// Pages, API and worker change a batch's status only through <see cref="TransitionAsync"/>.
/// </summary>
public static class BatchLifecycle
{
    public static readonly TransitionTable<BatchTransition, BatchStatus> Transitions = new(
    [
        new(BatchTransition.Submit, [BatchStatus.Review], BatchStatus.Submitted),
        new(BatchTransition.Discard, [BatchStatus.Review], BatchStatus.Discarded),
        new(BatchTransition.Cancel, [BatchStatus.Submitted], BatchStatus.Cancelled),
        new(BatchTransition.Resend, [BatchStatus.Submitted, BatchStatus.Cancelled], BatchStatus.Submitted),
    ]);

    /// <summary>Applies <paramref name="transition"/> to the batches that are in one of its From statuses; returns how many changed.</summary>
    public static Task<int> TransitionAsync(
        this IQueryable<Batch> batches,
        BatchTransition transition,
        CancellationToken ct,
        Action<UpdateSettersBuilder<Batch>>? set = null)
    {
        var rule = Transitions.Of(transition);
        return batches.Where(StatusFilter.In<Batch, BatchStatus>(nameof(Batch.Status), rule.From)).ExecuteUpdateAsync(
            s =>
            {
                s.SetProperty(b => b.Status, rule.To);
                set?.Invoke(s);
            },
            ct);
    }
}
