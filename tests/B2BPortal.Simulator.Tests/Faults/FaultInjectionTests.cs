using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Faults;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Faults;

/// <summary>Every fault type, on a tenant whose clock the test moves, so waits are deterministic rather than timed.</summary>
public sealed class FaultInjectionTests : IClassFixture<FakeClockSimulatorFixture>
{
    private readonly FakeClockSimulatorFixture _tenant;

    public FaultInjectionTests(FakeClockSimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    [Fact]
    public async Task Faults_Put_ChangesOnlyGivenFieldsAndGetShowsThem()
    {
        await _tenant.PutFaultsAsync(new { throttleRate = 0.25, retryAfterSeconds = 9 });
        await _tenant.PutFaultsAsync(new { latencyMs = 10 });

        var faults = (await _tenant.Http.GetFromJsonAsync<JsonObject>($"{_tenant.Server.BaseUrl}/_tenant/faults"))!;

        Assert.Equal(0.25, faults["throttleRate"]!.GetValue<double>());
        Assert.Equal(9, faults["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(10, faults["latencyMs"]!.GetValue<int>());
        Assert.Equal(150, faults["invitationsPer5s"]!.GetValue<int>());
        Assert.Null(faults["abuseBlockAfter"]);
        Assert.Equal(0, faults["serverErrorRate"]!.GetValue<double>());
        Assert.Equal(0, faults["timeoutRate"]!.GetValue<double>());
    }

    [Fact]
    public async Task Faults_RateOutOfRange_Is400AndKeepsSettings()
    {
        using var response = await _tenant.Http.PutAsJsonAsync($"{_tenant.Server.BaseUrl}/_tenant/faults", new { throttleRate = 1.5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _tenant.Server.Tenant.FaultSettings.ThrottleRate);
    }

    [Fact]
    public async Task Throttle_AllRequests_Get429WithRetryAfterAndGraphError()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { throttleRate = 1.0, retryAfterSeconds = 7 });

        using var response = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("TooManyRequests", error["code"]!.GetValue<string>());
        Assert.NotNull(error["innerError"]);
    }

    [Fact]
    public async Task ServerError_AllRequests_Get503()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { serverErrorRate = 1.0 });

        using var response = await _tenant.InviteAsync(token, "s@fabrikam.example");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(_tenant.Server.Tenant.Users(), u => u.Mail == "s@fabrikam.example");
    }

    [Fact]
    public async Task Timeout_ClientWithShortTimeout_GivesUpWithoutAnswer()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { timeoutRate = 1.0 });
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: token, client: impatient));
    }

    [Fact]
    public async Task Timeout_AfterHundredSeconds_Answers504()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { timeoutRate = 1.0 });

        var pending = _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: token);
        var advanced = await AdvanceUntilDoneAsync(pending, TimeSpan.FromSeconds(10));

        using var response = await pending;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(advanced >= TimeSpan.FromSeconds(100), $"answered after {advanced} of simulated time");
    }

    [Fact]
    public async Task Latency_DelaysAnswerBySimulatedTime()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { latencyMs = 3000 });

        var pending = _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: token);
        var advanced = await AdvanceUntilDoneAsync(pending, TimeSpan.FromMilliseconds(500));

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(advanced >= TimeSpan.FromSeconds(3), $"answered after {advanced} of simulated time");
    }

    [Fact]
    public async Task InvitationLimit_AboveLimitIn5s_Gets429UntilWindowMoves()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { invitationsPer5s = 3 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await _tenant.InviteAsync(token, $"limit{i}@fabrikam.example");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        _tenant.Time.Advance(TimeSpan.FromSeconds(5));
        using var afterWindow = await _tenant.InviteAsync(token, "limit-after@fabrikam.example");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, afterWindow.StatusCode);
    }

    [Fact]
    public async Task AbuseBlock_AfterLimit_EveryInvitationGets403ButReadsWork()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { abuseBlockAfter = 2 });

        for (var i = 0; i < 2; i++)
        {
            using var ok = await _tenant.InviteAsync(token, $"abuse{i}@fabrikam.example");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        _tenant.Time.Advance(TimeSpan.FromMinutes(10));
        using var blocked = await _tenant.InviteAsync(token, "abuse-late@fabrikam.example");
        using var read = await _tenant.SendGraphAsync(HttpMethod.Get, "/users", token: token);

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Contains(
            "Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support.",
            await blocked.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Seed_SameSeedAndOrder_GivesSameFaults()
    {
        var token = await _tenant.TokenAsync();

        async Task<List<HttpStatusCode>> RunAsync()
        {
            await _tenant.PutFaultsAsync(new { seed = 1234, throttleRate = 0.3, serverErrorRate = 0.2 });
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await _tenant.SendGraphAsync(HttpMethod.Get, "/users?$top=1", token: token);
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, first);
    }

    [Fact]
    public async Task Batch_ThrottleRate_ThrottlesInnerRequestsInsideA200()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { throttleRate = 1.0, retryAfterSeconds = 4 });
        var body = new
        {
            requests = new[]
            {
                new { id = "1", method = "GET", url = "/users?$top=1" },
                new { id = "2", method = "GET", url = "/groups" },
            },
        };

        using var response = await _tenant.SendGraphAsync(HttpMethod.Post, "/$batch", body, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var responses = (await response.Content.ReadFromJsonAsync<JsonObject>())!["responses"]!.AsArray();
        Assert.All(responses, r =>
        {
            Assert.Equal(429, r!["status"]!.GetValue<int>());
            Assert.Equal("4", r["headers"]!["Retry-After"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task Faults_DoNotTouchTokenEndpointOrTenantPages()
    {
        await _tenant.PutFaultsAsync(new { serverErrorRate = 1.0 });

        var token = await _tenant.TokenAsync();
        using var about = await _tenant.Http.GetAsync($"{_tenant.Server.BaseUrl}/_tenant/about");

        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(HttpStatusCode.OK, about.StatusCode);
    }

    /// <summary>Moves the fake clock in steps until the request completes; returns how much simulated time passed.</summary>
    private async Task<TimeSpan> AdvanceUntilDoneAsync(Task pending, TimeSpan step)
    {
        var advanced = TimeSpan.Zero;
        for (var i = 0; i < 1000 && !pending.IsCompleted; i++)
        {
            await Task.WhenAny(pending, Task.Delay(20));
            if (!pending.IsCompleted)
            {
                _tenant.Time.Advance(step);
                advanced += step;
            }
        }

        return advanced;
    }

    [Fact]
    public async Task WriteQuota_Exceeded_Is429WithSecondsUntilAWriteLeavesTheWindowThenAdmits()
    {
        var token = await _tenant.TokenAsync();
        await _tenant.PutFaultsAsync(new { writesPer150s = 2 });
        var users = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var invited = await _tenant.InviteAsync(token, $"writer{i}@fabrikam.example", send: false);
            users.Add((await invited.Content.ReadFromJsonAsync<JsonObject>())!["invitedUser"]!["id"]!.GetValue<string>());
        }

        Task<HttpResponseMessage> AddAsync(string userId) => _tenant.SendGraphAsync(HttpMethod.Post, "/groups/6b1f0c2a-1001-4c00-9000-000000000001/members/$ref",
            new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{userId}" }, token);

        using var first = await AddAsync(users[0]);
        _tenant.Time.Advance(TimeSpan.FromSeconds(10));
        using var second = await AddAsync(users[1]);
        using var third = await AddAsync(users[2]);
        _tenant.Time.Advance(TimeSpan.FromSeconds(140));
        using var later = await AddAsync(users[2]);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(140), third.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.NoContent, later.StatusCode);
        Assert.Equal(FaultSettings.DefaultWritesPer150s, new FaultSettings().WritesPer150s);
    }
}
