using System.Text.Json;
using System.Text.Json.Nodes;

namespace B2BPortal.Simulator.Faults;

internal enum FaultKind
{
    None,
    Timeout,
    Throttle,
    ServerError,
}

internal enum InvitationAdmission
{
    Admitted,
    RateLimited,
    AbuseBlocked,
}

/// <summary>
/// Decides which Graph requests fail. One seeded die is rolled per request, so a given seed and request order
/// always yield the same faults; the invitation limit is a sliding 5-second window over admitted invitations.
/// </summary>
internal sealed class FaultInjector
{
    private static readonly TimeSpan InvitationWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WriteWindow = TimeSpan.FromSeconds(150);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly int? _defaultSeed;
    private readonly Queue<DateTimeOffset> _recentInvitations = new();
    private readonly Queue<DateTimeOffset> _recentWrites = new();
    private FaultSettings _settings = new();
    private Random _dice;
    private int _invitationsAdmitted;

    public FaultInjector(TimeProvider time, int? defaultSeed)
    {
        _time = time;
        _defaultSeed = defaultSeed;
        _dice = NewDice(defaultSeed);
    }

    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _settings = new FaultSettings { Seed = _defaultSeed };
            _dice = NewDice(_defaultSeed);
            _recentInvitations.Clear();
            _recentWrites.Clear();
            _invitationsAdmitted = 0;
        }
    }

    /// <summary>Replaces every setting at once (for tests that hold the tenant object); a new seed restarts the dice.</summary>
    public void Replace(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            _settings = settings;
            _dice = NewDice(settings.Seed);
        }
    }

    /// <summary>Applies the fields present in <paramref name="update"/>; returns an error text when a value is out of range.</summary>
    public string? Update(JsonObject update)
    {
        try
        {
            lock (_gate)
            {
                var next = _settings;
                foreach (var (name, value) in update)
                {
                    next = name.ToUpperInvariant() switch
                    {
                        "LATENCYMS" => next with { LatencyMs = NonNegative(name, value?.GetValue<int>() ?? 0) },
                        "THROTTLERATE" => next with { ThrottleRate = Fraction(name, value) },
                        "SERVERERRORRATE" => next with { ServerErrorRate = Fraction(name, value) },
                        "TIMEOUTRATE" => next with { TimeoutRate = Fraction(name, value) },
                        "RETRYAFTERSECONDS" => next with { RetryAfterSeconds = NonNegative(name, value?.GetValue<int>() ?? 0) },
                        "INVITATIONSPER5S" => next with
                        {
                            InvitationsPer5s = Positive(name, value?.GetValue<int>() ?? FaultSettings.DefaultInvitationsPer5s),
                        },
                        "WRITESPER150S" => next with { WritesPer150s = Positive(name, value?.GetValue<int>() ?? FaultSettings.DefaultWritesPer150s) },
                        "ABUSEBLOCKAFTER" => next with { AbuseBlockAfter = value is null ? null : NonNegative(name, value.GetValue<int>()) },
                        "REPLICATIONDELAYSECONDS" => next with { ReplicationDelaySeconds = NonNegative(name, value?.GetValue<int>() ?? 0) },
                        "SEED" => next with { Seed = value?.GetValue<int>() },
                        _ => next,
                    };
                }

                if (next.TimeoutRate + next.ThrottleRate + next.ServerErrorRate > 1)
                {
                    return "timeoutRate + throttleRate + serverErrorRate must not exceed 1.";
                }

                if (update.ContainsKey("seed") || next.Seed != _settings.Seed)
                {
                    _dice = NewDice(next.Seed);
                }

                _settings = next;
                return null;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or JsonException)
        {
            return e.Message;
        }
    }

    /// <summary>Rolls the die once for a Graph request.</summary>
    public FaultKind Roll(bool allowTimeout)
    {
        lock (_gate)
        {
            var s = _settings;
            if (s.TimeoutRate + s.ThrottleRate + s.ServerErrorRate <= 0)
            {
                return FaultKind.None;
            }

            var roll = _dice.NextDouble();
            if (roll < s.TimeoutRate)
            {
                return allowTimeout ? FaultKind.Timeout : FaultKind.None;
            }

            if (roll < s.TimeoutRate + s.ThrottleRate)
            {
                return FaultKind.Throttle;
            }

            return roll < s.TimeoutRate + s.ThrottleRate + s.ServerErrorRate ? FaultKind.ServerError : FaultKind.None;
        }
    }

    /// <summary>Rolls for the outer $batch request, which only times out (its inner requests roll their own faults).</summary>
    public bool RollTimeout()
    {
        lock (_gate)
        {
            return _settings.TimeoutRate > 0 && _dice.NextDouble() < _settings.TimeoutRate;
        }
    }

    /// <summary>Counts an invitation against the tenant's limits, as Graph does before looking at its body.</summary>
    public InvitationAdmission AdmitInvitation()
    {
        lock (_gate)
        {
            if (_settings.AbuseBlockAfter is { } blockAfter && _invitationsAdmitted >= blockAfter)
            {
                return InvitationAdmission.AbuseBlocked;
            }

            var now = _time.GetUtcNow();
            while (_recentInvitations.Count > 0 && now - _recentInvitations.Peek() >= InvitationWindow)
            {
                _recentInvitations.Dequeue();
            }

            if (_recentInvitations.Count >= _settings.InvitationsPer5s)
            {
                return InvitationAdmission.RateLimited;
            }

            _recentInvitations.Enqueue(now);
            _invitationsAdmitted++;
            return InvitationAdmission.Admitted;
        }
    }

    /// <summary>
    /// Admits one identity write under the 150-s quota; null when admitted, else the seconds until the oldest write
    /// leaves the window (the Retry-After Graph would send).
    /// </summary>
    public int? AdmitWrite()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_recentWrites.Count > 0 && now - _recentWrites.Peek() >= WriteWindow)
            {
                _recentWrites.Dequeue();
            }

            if (_recentWrites.Count >= _settings.WritesPer150s)
            {
                var wait = _recentWrites.Peek() + WriteWindow - now;
                return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            }

            _recentWrites.Enqueue(now);
            return null;
        }
    }

    /// <summary>Seconds until the oldest invitation leaves the window: what Retry-After should say for the rate limit.</summary>
    public int SecondsUntilInvitationSlot()
    {
        lock (_gate)
        {
            if (_recentInvitations.Count == 0)
            {
                return 1;
            }

            var wait = _recentInvitations.Peek() + InvitationWindow - _time.GetUtcNow();
            return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        }
    }

    private static Random NewDice(int? seed) => seed is { } s ? new Random(s) : new Random();

    private static double Fraction(string name, JsonNode? value)
    {
        var rate = value?.GetValue<double>() ?? 0;
        return rate is >= 0 and <= 1 ? rate : throw new ArgumentException($"{name} must be between 0 and 1.");
    }

    private static int NonNegative(string name, int value) =>
        value >= 0 ? value : throw new ArgumentException($"{name} must not be negative.");

    private static int Positive(string name, int value) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be at least 1.");
}
