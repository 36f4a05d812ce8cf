using B2BPortal.Web.Batches;
using B2BPortal.Web.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>The dispatcher and tracker hosted as a worker, on PostgreSQL, against the simulated tenant over HTTP.</summary>
public sealed class InvitationDeliveryTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private SimulatedTenantServer _tenant = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _tenant = await SimulatedTenantServer.StartAsync(https: false);
    }

    public async Task DisposeAsync() => await _tenant.DisposeAsync();

    /// <summary>One worker sends until the whole tenant is paused and nothing is in flight; the host keeps running.</summary>
    private async Task<(Microsoft.Extensions.Hosting.IHost Host, SendingControl Actions, PacingState Paused)> RunUntilTenantPausedAsync(Guid batchId)
    {
        var settings = Settings();
        settings["Delivery:WorkerCount"] = "1";
        var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        var actions = host.Services.CreateScope().ServiceProvider.GetRequiredService<SendingControl>();
        var paused = await Eventually.Until(
            () => actions.GetPacingStateAsync(CancellationToken.None), state => state.Mode == PacingMode.Paused, "sending is paused", Patience,
            state => $"mode {state.Mode}");
        await Eventually.Until(
            () => DeliveryHarness.RowsAsync(database.CreateContext, batchId), rows => rows.All(r => r.Status != InvitationStatus.Sending),
            "no row is Sending", Patience, rows => $"{rows.Count(r => r.Status == InvitationStatus.Sending)} row(s) Sending");
        return (host, actions, paused);
    }

    private Dictionary<string, string?> Settings() => DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl);

    [Fact]
    public async Task Deliver_FileRows_InvitesEachGuestOnceInItsLanguageWithGroupsAndApps()
    {
        var groups = _tenant.Tenant.Groups;
        var extranet = _tenant.Tenant.Applications.Single(a => a.AppRoles.Count > 0);
        var supplier = _tenant.Tenant.Applications.First(a => a.AppRoles.Count == 0);
        await using var seed = database.CreateContext();
        var legacy = DeliveryHarness.Row("carol@litware.example", language: "ja");
        legacy.ContactUsUrl = "https://contoso.example/contact";
        legacy.CustomMessage = "Welcome to the extranet.";
        var silent = DeliveryHarness.Row("erin@adatum.example");
        silent.SendEmail = false;
        var batchId = await DeliveryHarness.QueueBatchAsync(seed,
        [
            DeliveryHarness.Row("alice@fabrikam.example", [groups[0].Id, groups[1].Id], [extranet.AppId], "de"),
            DeliveryHarness.Row("bob@northwind.example", [groups[2].Id], [supplier.AppId], "zh-HANS"),
            legacy,
            DeliveryHarness.Row("dave@contoso.com"),
            silent,
            DeliveryHarness.Row("frank@tailspin.example", ["00000000-0000-0000-0000-00000000dead"]),
        ]);

        using var host = DeliveryHarness.BuildHost(Settings());
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        var rows = (await DeliveryHarness.RowsAsync(database.CreateContext, batchId)).ToDictionary(r => r.Email);
        Assert.Equal(InvitationStatus.Failed, rows["dave@contoso.com"].Status);
        Assert.Contains("verified domain", rows["dave@contoso.com"].LastError, StringComparison.Ordinal);
        foreach (var email in new[] { "alice@fabrikam.example", "bob@northwind.example", "carol@litware.example", "erin@adatum.example", "frank@tailspin.example" })
        {
            Assert.Equal(InvitationStatus.Invited, rows[email].Status);
            Assert.NotNull(rows[email].GraphUserId);
            Assert.Null(rows[email].LeaseToken);
        }

        var mail = _tenant.Tenant.Mailbox();
        Assert.Equal(4, mail.Count);
        Assert.Equal(mail.Count, mail.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("de-DE", mail.Single(m => m.To == "alice@fabrikam.example").Language);
        Assert.Equal("zh-CN", mail.Single(m => m.To == "bob@northwind.example").Language);
        // Sent app-only, so Entra leaves the custom message (with the contact link) out of its email, and because a message
        // was given it ignores messageLanguage: carol gets Microsoft's English email without them. Graph did receive both.
        var carol = mail.Single(m => m.To == "carol@litware.example");
        Assert.Equal("en-US", carol.Language);
        Assert.Null(carol.CustomMessage);
        Assert.DoesNotContain("contoso.example/contact", carol.Body, StringComparison.Ordinal);
        Assert.Equal("ja-JP", carol.RequestedLanguage);
        Assert.Equal("Welcome to the extranet.\n\nQuestions? Contact us: https://contoso.example/contact", carol.RequestedCustomMessage);
        Assert.DoesNotContain(mail, m => m.To == "erin@adatum.example");

        var alice = rows["alice@fabrikam.example"].GraphUserId;
        var bob = rows["bob@northwind.example"].GraphUserId;
        Assert.Contains(_tenant.Tenant.GroupMembers(groups[0].Id), u => u.Id == alice);
        Assert.Contains(_tenant.Tenant.GroupMembers(groups[1].Id), u => u.Id == alice);
        Assert.Contains(_tenant.Tenant.GroupMembers(groups[2].Id), u => u.Id == bob);
        var extranetAssignment = Assert.Single(_tenant.Tenant.AppRoleAssignedTo(extranet.ServicePrincipalId));
        Assert.Equal(alice, extranetAssignment.PrincipalId);
        Assert.Equal(extranet.AppRoles[0].Id, extranetAssignment.AppRoleId);
        var supplierAssignment = Assert.Single(_tenant.Tenant.AppRoleAssignedTo(supplier.ServicePrincipalId));
        Assert.Equal(bob, supplierAssignment.PrincipalId);
        Assert.Equal(Guid.Empty.ToString(), supplierAssignment.AppRoleId);

        Assert.Equal(3, rows["alice@fabrikam.example"].Assignments.Count);
        Assert.All(rows["alice@fabrikam.example"].Assignments.Concat(rows["bob@northwind.example"].Assignments),
            a => Assert.Equal(AssignmentStatus.Done, a.Status));
        var missingGroup = Assert.Single(rows["frank@tailspin.example"].Assignments);
        Assert.Equal(AssignmentStatus.Failed, missingGroup.Status);
        Assert.Contains("Group not found", missingGroup.Error, StringComparison.Ordinal);
        Assert.Contains("Group not found", rows["frank@tailspin.example"].LastError, StringComparison.Ordinal);

        // Exactly one invitation request per row: nothing was sent twice behind the dispatcher's back.
        Assert.Equal(6, _tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task Tracker_GuestAccepts_RowBecomesAcceptedWithAcceptanceTime()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(3));
        using var host = DeliveryHarness.BuildHost(Settings());
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);

        var accepting = _tenant.Tenant.Mailbox().Single(m => m.To == "guest0002@partner.example");
        using (var http = new HttpClient())
        {
            using var accepted = await http.PostAsync(new Uri(accepting.RedeemUrl), null);
            accepted.EnsureSuccessStatusCode();
        }

        var tracker = host.Services.GetServices<IHostedService>().OfType<RedemptionTracker>().Single();
        var cycle = await tracker.RunCycleAsync(CancellationToken.None);
        await host.StopAsync();

        Assert.Equal(3, cycle.Waiting);
        Assert.Equal(1, cycle.Accepted);
        Assert.Equal(1, cycle.GraphRequests);
        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        var row = Assert.Single(rows, r => r.Status == InvitationStatus.Accepted);
        Assert.Equal("guest0002@partner.example", row.Email);
        Assert.NotNull(row.AcceptedAt);
        Assert.Equal(2, rows.Count(r => r.Status == InvitationStatus.Invited));
    }

    [Fact]
    public async Task Deliver_ServerErrorsThrottlingAndTimeouts_EveryRowInvitedAndEmailedOnce()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { serverErrorRate = 0.2, throttleRate = 0.1, timeoutRate = 0.03, retryAfterSeconds = 1, seed = 42 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(40));
        var settings = Settings();
        settings["Delivery:GraphTimeout"] = "00:00:01";
        settings["Delivery:MaxAttempts"] = "30";

        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, TimeSpan.FromMinutes(3));
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        var mail = _tenant.Tenant.Mailbox();
        Assert.Equal(40, mail.Count);
        Assert.Equal(40, mail.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(_tenant.Tenant.Stats.Responses(503) > 0, "The fault mix produced no 503.");
        Assert.True(_tenant.Tenant.Stats.Responses(429) > 0, "The fault mix produced no 429.");
        Assert.True(rows.Sum(r => r.Attempts) > 40, "No row needed a second attempt.");
    }

    [Fact]
    public async Task Deliver_TwoWorkerHostsOnOneDatabase_EachRowInvitedExactlyOnce()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { latencyMs = 20 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(80));
        var settings = Settings();
        settings["Delivery:InvitationsPerSecond"] = "100";
        settings["Delivery:ClaimBatchSize"] = "3";

        using var first = DeliveryHarness.BuildHost(settings);
        using var second = DeliveryHarness.BuildHost(settings);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await Task.WhenAll(first.StopAsync(), second.StopAsync());

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(80, _tenant.Tenant.Stats.Requests("POST /invitations"));
        var mail = _tenant.Tenant.Mailbox();
        Assert.Equal(80, mail.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(80, mail.Count);
    }

    [Fact]
    public async Task Deliver_AbuseBlock_PausesWithinOneRequestAndResumeContinues()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { abuseBlockAfter = 3 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(10));
        var (host, actions, paused) = await RunUntilTenantPausedAsync(batchId);
        using var running = host;
        Assert.Equal(PacingMode.Paused, paused.Mode);
        Assert.Contains("suspicious activity", paused.PausedReason, StringComparison.Ordinal);
        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.Equal(3, rows.Count(r => r.Status == InvitationStatus.Invited));
        Assert.Equal(7, rows.Count(r => r.Status == InvitationStatus.Queued));
        Assert.DoesNotContain(rows, r => r.Status == InvitationStatus.Failed);
        Assert.Equal(4, _tenant.Tenant.Stats.Requests("POST /invitations"));

        await DeliveryHarness.SetFaultsAsync(_tenant, new { abuseBlockAfter = (int?)null });
        await actions.ResumeTenantAsync("admin@contoso.onmicrosoft.com", CancellationToken.None);
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.Equal(10, _tenant.Tenant.Mailbox().Select(m => m.To).Distinct().Count());
        Assert.Equal(10, _tenant.Tenant.Mailbox().Count);
        await using var db = database.CreateContext();
        var audit = await db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["Paused", "Resumed"], audit);
    }

    [Fact]
    public async Task Deliver_InviteSettingRestrictedAfterSubmission_TenantPausesWithNoFailedRowAndResumeFinishes()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(4));
        await DeliveryHarness.SetGuestInvitePolicyAsync(_tenant, "adminsAndGuestInviters");

        var (host, actions, paused) = await RunUntilTenantPausedAsync(batchId);
        using var running = host;
        Assert.Equal(PacingMode.Paused, paused.Mode);
        Assert.Contains("Authorization_RequestDenied", paused.PausedReason, StringComparison.Ordinal);
        Assert.Contains("guest invite setting", paused.PausedReason, StringComparison.Ordinal);
        Assert.All(await DeliveryHarness.RowsAsync(database.CreateContext, batchId), r => Assert.Equal(InvitationStatus.Queued, r.Status));
        Assert.Equal(1, _tenant.Tenant.Stats.Requests("POST /invitations"));

        await DeliveryHarness.SetGuestInvitePolicyAsync(_tenant, "everyone");

        await actions.ResumeTenantAsync("admin@contoso.onmicrosoft.com", CancellationToken.None);
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();
        Assert.All(await DeliveryHarness.RowsAsync(database.CreateContext, batchId), r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.Equal(4, _tenant.Tenant.Mailbox().Count);
    }

    [Fact]
    public async Task Deliver_GraphKeepsFailing_RowFailedAfterMaxAttemptsWithLastError()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { serverErrorRate = 1.0 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(1));
        var settings = Settings();
        settings["Delivery:MaxAttempts"] = "3";

        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        var row = Assert.Single(await DeliveryHarness.RowsAsync(database.CreateContext, batchId));
        Assert.Equal(InvitationStatus.Failed, row.Status);
        Assert.Contains("503", row.LastError, StringComparison.Ordinal);
        Assert.Equal(3, row.Attempts);

        // Every attempt looks the address up first (a member is never invited, an earlier attempt's guest is adopted);
        // Graph never answered the look-up, so nothing was invited without knowing who has the address.
        Assert.Equal(0, _tenant.Tenant.Stats.Requests("POST /invitations"));
        Assert.Equal(3, _tenant.Tenant.Stats.Requests("GET /users"));
        Assert.Empty(_tenant.Tenant.Mailbox());
    }

    [Fact]
    public async Task Resend_FailedRowAfterGraphRecovers_SameRowInvited()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { serverErrorRate = 1.0 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(2));
        var settings = Settings();
        settings["Delivery:MaxAttempts"] = "2";
        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        Assert.All(await DeliveryHarness.RowsAsync(database.CreateContext, batchId), r => Assert.Equal(InvitationStatus.Failed, r.Status));

        await DeliveryHarness.SetFaultsAsync(_tenant, new { serverErrorRate = 0.0 });
        using var scope = host.Services.CreateScope();
        var resent = await scope.ServiceProvider.GetRequiredService<ResendBatch>()
            .HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Failed], false, "admin@contoso.onmicrosoft.com"), CancellationToken.None);
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        Assert.Equal(2, resent);
        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.Equal(2, _tenant.Tenant.Mailbox().Count);
        await using var db = database.CreateContext();
        var audit = await db.AuditEntries.SingleAsync();
        Assert.Equal("Resent", audit.Action);
        Assert.Equal(batchId, audit.BatchId);
    }

    [Fact]
    public async Task Deliver_NewGuestsNotYetReplicated_AssignmentsWaitUntilDoneAndOneEmailEach()
    {
        // Entra: a new guest "might take a few minutes" to replicate; until then group adds and assignments answer 404.
        await DeliveryHarness.SetFaultsAsync(_tenant, new { replicationDelaySeconds = 30 });
        var groups = _tenant.Tenant.Groups;
        var extranet = _tenant.Tenant.Applications.Single(a => a.AppRoles.Count > 0);
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, Enumerable.Range(1, 6)
            .Select(i => DeliveryHarness.Row($"late{i}@fabrikam.example", [groups[0].Id, groups[1].Id], [extranet.AppId])));

        using var host = DeliveryHarness.BuildHost(Settings());
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r =>
        {
            Assert.Equal(InvitationStatus.Invited, r.Status);
            Assert.Null(r.LastError);
            Assert.Equal(3, r.Assignments.Count);
            Assert.All(r.Assignments, a => Assert.Equal(AssignmentStatus.Done, a.Status));
            Assert.Contains(_tenant.Tenant.GroupMembers(groups[1].Id), u => u.Id == r.GraphUserId);
        });
        Assert.Equal(6, _tenant.Tenant.AppRoleAssignedTo(extranet.ServicePrincipalId).Count);
        var mail = _tenant.Tenant.Mailbox();
        Assert.Equal(6, mail.Count);
        Assert.Equal(6, mail.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(6, _tenant.Tenant.Stats.Requests("POST /invitations"));
        // The portal reads a group only to tell its own 404 from the guest's: so a group was read, a group add was refused.
        Assert.True(_tenant.Tenant.Stats.Requests("GET /groups/{id}") > 0, "no group add was refused for replication; the test proved nothing");
    }

    [Fact]
    public async Task Deliver_RowWithGroupsAndApp_LogsNoGuestAddressAtAnyLevel()
    {
        // Graph URLs carry addresses in their filters; nothing the worker logs (its own, EF's, the HTTP stack's) may.
        var group = _tenant.Tenant.Groups[0];
        var extranet = _tenant.Tenant.Applications.Single(a => a.AppRoles.Count > 0);
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, [DeliveryHarness.Row("very.private.person@fabrikam.example", [group.Id], [extranet.AppId])]);
        using var logs = new LogCapture(LogLevel.Trace);

        using var host = DeliveryHarness.BuildHost(Settings(), configure: s => s.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        Assert.Equal(InvitationStatus.Invited, Assert.Single(await DeliveryHarness.RowsAsync(database.CreateContext, batchId)).Status);
        // The capture saw the worker's own statements at Information (EF logs each command's SQL, never its parameters).
        Assert.Contains(logs.Entries, e => e.Category == "Microsoft.EntityFrameworkCore.Database.Command" && e.Level == LogLevel.Information);
        Assert.DoesNotContain(logs.AtLeast(LogLevel.Trace), m => m.Contains("very.private.person", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Deliver_RowsWithTwoGroupsUnderATightWriteQuota_AddsMembersManyPerWriteWithNo429()
    {
        // Graph allows 3,000 writes per 150 s per app and tenant; here 40, so one write per membership (80) could not pass.
        await DeliveryHarness.SetFaultsAsync(_tenant, new { writesPer150s = 40 });
        const int Count = 40;
        var groups = _tenant.Tenant.Groups;
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, Enumerable.Range(1, Count)
            .Select(i => DeliveryHarness.Row($"quota{i}@fabrikam.example", [groups[0].Id, groups[1].Id])));
        var settings = Settings();
        settings["Delivery:WorkerCount"] = "16";
        settings["Delivery:WritesPerSecond"] = "4";

        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r =>
        {
            Assert.Equal((InvitationStatus.Invited, null), (r.Status, r.LastError));
            Assert.All(r.Assignments, a => Assert.Equal(AssignmentStatus.Done, a.Status));
        });
        Assert.Equal((Count, Count), (_tenant.Tenant.GroupMembers(groups[0].Id).Count, _tenant.Tenant.GroupMembers(groups[1].Id).Count));
        Assert.Equal(0, _tenant.Tenant.Stats.Responses(429));
        var bulk = _tenant.Tenant.Stats.Requests("PATCH /groups/{id}");
        Assert.Equal(0, _tenant.Tenant.Stats.Requests("POST /groups/{id}/members/$ref"));
        Assert.InRange(bulk, 2 * Count / GroupAdds.MaxPerRequest, 2 * Count / 4); // at least 4 members per write on average
    }

    [Fact]
    public async Task Deliver_AddressOfAMember_FailsInPlainWordsWithNoGroupOrGuestAlsoAfterResend()
    {
        var group = _tenant.Tenant.Groups[2];
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed,
        [
            // A member whose mail is at a partner's domain (Entra would create a second, guest account), and a member
            // in the tenant's own domain (Graph refuses it as a verified domain; a re-send used to adopt the member).
            DeliveryHarness.Row(SimulatedTenantDefaults.MemberWithExternalMail, [group.Id]),
            DeliveryHarness.Row("admin@contoso.com", [group.Id]),
        ]);
        using var host = DeliveryHarness.BuildHost(Settings());
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        var first = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);

        using var scope = host.Services.CreateScope();
        var resent = await scope.ServiceProvider.GetRequiredService<ResendBatch>()
            .HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Failed], false, "admin@contoso.onmicrosoft.com"), CancellationToken.None);
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        Assert.Equal(2, resent);
        foreach (var rows in new[] { first, await DeliveryHarness.RowsAsync(database.CreateContext, batchId) })
        {
            Assert.All(rows, r =>
            {
                Assert.Equal(InvitationStatus.Failed, r.Status);
                Assert.Contains("is already a member of your organization", r.LastError, StringComparison.Ordinal);
                Assert.Null(r.GraphUserId);
                Assert.Empty(r.Assignments);
            });
        }

        Assert.Empty(_tenant.Tenant.GroupMembers(group.Id));
        Assert.DoesNotContain(_tenant.Tenant.Users(), u => u.UserType == "Guest" && u.OtherMails.Contains(SimulatedTenantDefaults.MemberWithExternalMail));
        Assert.Equal(0, _tenant.Tenant.Stats.Requests("POST /invitations"));
        Assert.Empty(_tenant.Tenant.Mailbox());
    }

    [Fact]
    public async Task Deliver_ConsentRemovedMidBatch_OnePauseNothingFailedAndResumeFinishes()
    {
        const int Count = 40;
        var group = _tenant.Tenant.Groups[0];
        await DeliveryHarness.SetFaultsAsync(_tenant, new { latencyMs = 50 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(Count, "consent.example").Select(r =>
        {
            r.GroupIds = [group.Id];
            return r;
        }));
        var settings = Settings();
        settings["Delivery:InvitationsPerSecond"] = "10";
        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        var actions = host.Services.CreateScope().ServiceProvider.GetRequiredService<SendingControl>();
        await Eventually.Until(() => CountAsync(batchId, InvitationStatus.Invited), n => n >= 5, "5 rows are Invited", Patience, n => $"{n} Invited");

        // An admin removes the consent for reading users and managing group members while the batch is being sent.
        var granted = _tenant.Tenant.PortalGraphConsent.ToList();
        Assert.Null(_tenant.Tenant.SetPortalGraphConsent(granted.Except(["User.Read.All", "GroupMember.ReadWrite.All"])));
        var paused = await Eventually.Until(
            () => actions.GetPacingStateAsync(CancellationToken.None), state => state.Mode == PacingMode.Paused, "sending is paused", Patience,
            state => $"mode {state.Mode}");
        await Eventually.Until(
            () => DeliveryHarness.RowsAsync(database.CreateContext, batchId), rows => rows.All(r => r.Status != InvitationStatus.Sending),
            "no row is Sending", Patience, rows => $"{rows.Count(r => r.Status == InvitationStatus.Sending)} row(s) Sending");
        var whilePaused = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);

        Assert.Contains("lacks admin consent for", paused.PausedReason ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(whilePaused, r => r.Status == InvitationStatus.Failed);
        Assert.DoesNotContain(whilePaused.SelectMany(r => r.Assignments), a => a.Status == AssignmentStatus.Failed);
        Assert.Contains(whilePaused, r => r.Status == InvitationStatus.Queued);

        Assert.Null(_tenant.Tenant.SetPortalGraphConsent(granted));
        await actions.ResumeTenantAsync("admin@contoso.onmicrosoft.com", CancellationToken.None);
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r =>
        {
            Assert.Equal(InvitationStatus.Invited, r.Status);
            Assert.Equal(AssignmentStatus.Done, Assert.Single(r.Assignments).Status);
        });
        Assert.Equal(Count, _tenant.Tenant.GroupMembers(group.Id).Count);
        Assert.Equal(Count, _tenant.Tenant.Mailbox().Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(Count, _tenant.Tenant.Mailbox().Count);
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "Paused"));
    }

    [Fact]
    public async Task Resend_ResetRedemptionWithoutUserReadWriteAll_FailsThatRowSayingSoAndDoesNotPause()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, [DeliveryHarness.Row("accepted@fabrikam.example")]);
        var settings = Settings();
        settings["Delivery:TrackerInterval"] = "00:00:00.500";
        using var host = DeliveryHarness.BuildHost(settings);
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        Assert.True(_tenant.Tenant.AcceptInvitation(_tenant.Tenant.Mailbox().Single().RedeemUrl));
        await Eventually.Until(() => CountAsync(batchId, InvitationStatus.Accepted), n => n == 1, "the row is Accepted", Patience, n => $"{n} Accepted");

        Assert.Null(_tenant.Tenant.SetPortalGraphConsent(_tenant.Tenant.PortalGraphConsent.Where(p => p != "User.ReadWrite.All").ToList()));
        var scope = host.Services.CreateScope();
        var resend = scope.ServiceProvider.GetRequiredService<ResendBatch>();
        var actions = scope.ServiceProvider.GetRequiredService<SendingControl>();
        Assert.Equal(1, await resend.HandleAsync(new ResendBatch.Command(batchId, [InvitationStatus.Accepted], true, "admin@contoso.onmicrosoft.com"), CancellationToken.None));
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        var state = await actions.GetPacingStateAsync(CancellationToken.None);
        await host.StopAsync();

        var row = Assert.Single(await DeliveryHarness.RowsAsync(database.CreateContext, batchId));
        Assert.Equal(InvitationStatus.Failed, row.Status);
        Assert.Contains("Resetting redemption needs the User.ReadWrite.All permission", row.LastError, StringComparison.Ordinal);
        Assert.NotEqual(PacingMode.Paused, state.Mode);
        Assert.Single(_tenant.Tenant.Mailbox());
    }

    private Task<int> CountAsync(Guid batchId, InvitationStatus status) => DeliveryHarness.CountAsync(database.CreateContext, batchId, status);
}
