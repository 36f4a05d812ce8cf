using B2BPortal.Web.Batches;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Invitations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// The forbidden transitions, tried through the same services the pages, the API and the worker use, on PostgreSQL:
/// each must change nothing.
/// </summary>
public sealed class LifecycleTransitionsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Admin = "admin@contoso.onmicrosoft.com";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private IHost? _host;

    public Task InitializeAsync()
    {
        var settings = DeliveryHarness.TestSettings(database.ConnectionString, "http://127.0.0.1:9");
        settings["Portal:Roles"] = "web";
        _host = DeliveryHarness.BuildHost(settings, _time);
        return database.ResetAsync();
    }

    public Task DisposeAsync()
    {
        _host?.Dispose();
        return Task.CompletedTask;
    }

    private InvitationQueue Queue => _host!.Services.GetRequiredService<InvitationQueue>();

    private ResendBatch Resend => _host!.Services.GetRequiredService<ResendBatch>();

    private CancelBatch Cancel => _host!.Services.GetRequiredService<CancelBatch>();

    [Fact]
    public async Task Claim_BatchInReview_HeldRowsAreNeverClaimed()
    {
        await ReviewBatchAsync(3);

        Assert.Empty(await Queue.ClaimAsync("worker", 10, CancellationToken.None));
        _time.Advance(TimeSpan.FromDays(3650));
        Assert.Empty(await Queue.ClaimAsync("worker", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Resend_DiscardedBatch_RequeuesNothingAndSendsNothing()
    {
        var batchId = await ReviewBatchAsync(3);
        await using (var db = database.CreateContext())
        {
            Assert.True(await new DiscardBatch(db, _time).HandleAsync(new DiscardBatch.Command(batchId, Admin), CancellationToken.None));
        }

        var requeued = await Resend.HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Cancelled, InvitationStatus.Failed], false, Admin), CancellationToken.None);

        Assert.Equal(0, requeued);
        Assert.Empty(await Queue.ClaimAsync("worker", 10, CancellationToken.None));
        Assert.All(await RowsAsync(batchId), r => Assert.Equal(InvitationStatus.Cancelled, r.Status));
        Assert.Equal(BatchStatus.Discarded, await BatchStatusAsync(batchId));
    }

    [Fact]
    public async Task Cancel_BatchInReview_LeavesItForReviewAndNothingCanBeResent()
    {
        var batchId = await ReviewBatchAsync(2);

        Assert.Equal(0, await Cancel.HandleAsync(new CancelBatch.Command(batchId, Admin), CancellationToken.None));
        Assert.Equal(0, await Resend.HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Cancelled], false, Admin), CancellationToken.None));

        Assert.All(await RowsAsync(batchId), r => Assert.Equal(InvitationStatus.Held, r.Status));
        Assert.Equal(BatchStatus.Review, await BatchStatusAsync(batchId));
        Assert.Empty(await Queue.ClaimAsync("worker", 10, CancellationToken.None));
    }

    [Fact]
    public async Task SubmitAndDiscard_AfterTheBatchWasSent_AreRefusedAndChangeNothing()
    {
        var batchId = await ReviewBatchAsync(2);
        await using var db = database.CreateContext();
        var send = new SendBatch(db, _host!.Services.GetRequiredService<GuestInvitePolicy>(), _time);
        var discard = new DiscardBatch(db, _time);

        Assert.Equal(2, await send.HandleAsync(new SendBatch.Command(batchId, Admin, null), CancellationToken.None));
        Assert.Null(await send.HandleAsync(new SendBatch.Command(batchId, Admin, null), CancellationToken.None));
        Assert.False(await discard.HandleAsync(new DiscardBatch.Command(batchId, Admin), CancellationToken.None));

        Assert.All(await RowsAsync(batchId), r => Assert.Equal(InvitationStatus.Queued, r.Status));
        Assert.Equal(BatchStatus.Submitted, await BatchStatusAsync(batchId));
    }

    [Fact]
    public async Task Cancel_WhileARowIsSending_ItsTransientFailureEndsCancelledAndItIsNeverClaimedAgain()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(2));
        var claimed = Assert.Single(await Queue.ClaimAsync("worker", 1, CancellationToken.None));

        Assert.Equal(1, await Cancel.HandleAsync(new CancelBatch.Command(batchId, Admin), CancellationToken.None));
        Assert.True(await Queue.RetryAsync(claimed, _time.GetUtcNow().UtcDateTime.AddSeconds(1), "Graph answered 503.", CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(await Queue.ClaimAsync("worker", 10, CancellationToken.None));
        var rows = await RowsAsync(batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Cancelled, r.Status));
        Assert.All(rows, r => Assert.Null(r.LeaseToken));
    }

    [Fact]
    public async Task Release_RowOfASubmittedBatch_GoesBackToTheQueue()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(1));
        var claimed = Assert.Single(await Queue.ClaimAsync("worker", 1, CancellationToken.None));

        Assert.True(await Queue.ReleaseAsync(claimed, countAttempt: false, nextAttemptAt: null, CancellationToken.None));

        var row = Assert.Single(await RowsAsync(batchId));
        Assert.Equal((InvitationStatus.Queued, 0, null), (row.Status, row.Attempts, row.LeaseToken));
    }

    [Fact]
    public async Task Resend_CancelledBatch_RequeuesTheCancelledRowsAndTheBatchIsSubmittedAgain()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(2));
        Assert.Equal(2, await Cancel.HandleAsync(new CancelBatch.Command(batchId, Admin), CancellationToken.None));
        Assert.Equal(BatchStatus.Cancelled, await BatchStatusAsync(batchId));

        Assert.Equal(2, await Resend.HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Cancelled], false, Admin), CancellationToken.None));

        Assert.Equal(BatchStatus.Submitted, await BatchStatusAsync(batchId));
        Assert.Equal(2, (await Queue.ClaimAsync("worker", 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Resend_OnlyTheAskedStatus_LeavesTheOthers()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(2));
        await seed.Invitations.Where(i => i.BatchId == batchId && i.RowNumber == 2).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Failed));
        await seed.Invitations.Where(i => i.BatchId == batchId && i.RowNumber == 3).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Cancelled));

        Assert.Equal(1, await Resend.HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Failed], false, Admin), CancellationToken.None));

        Assert.Equal([InvitationStatus.Queued, InvitationStatus.Cancelled], (await RowsAsync(batchId)).Select(r => r.Status));
    }

    private async Task<Guid> ReviewBatchAsync(int rows)
    {
        await using var db = database.CreateContext();
        var now = _time.GetUtcNow().UtcDateTime;
        var batch = new Batch
        {
            Id = Guid.NewGuid(),
            FileName = "review.csv",
            Sha256 = new string('c', 64),
            Status = BatchStatus.Review,
            UploadedBy = Admin,
            UploadedAt = now,
            TotalRows = rows,
            ValidRows = rows,
        };
        var rowNumber = 2;
        foreach (var row in DeliveryHarness.Rows(rows))
        {
            row.RowNumber = rowNumber++;
            row.Status = InvitationStatus.Held;
            row.CreatedAt = row.UpdatedAt = now;
            batch.Invitations.Add(row);
        }

        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        return batch.Id;
    }

    private Task<List<Invitation>> RowsAsync(Guid batchId) => DeliveryHarness.RowsAsync(database.CreateContext, batchId);

    private async Task<BatchStatus> BatchStatusAsync(Guid batchId)
    {
        await using var db = database.CreateContext();
        return await db.Batches.Where(b => b.Id == batchId).Select(b => b.Status).SingleAsync();
    }
}
