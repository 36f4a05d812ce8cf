namespace B2BPortal.Web.Delivery;

/// <summary>Configuration section <c>Delivery</c>: how fast, how often and how persistently invitations go out.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    // How fast: the tenant's pace, shared by every instance.
    /// <summary>Invitation requests per second for the whole tenant, all instances together (Graph allows 150 per 5 s).</summary>
    [Positive("Delivery:InvitationsPerSecond")] public double InvitationsPerSecond { get; set; } = 28;

    /// <summary>
    /// Identity writes per second for the tenant, all instances together: group adds and app assignments. Graph allows
    /// 3,000 per 150 s per app and tenant (20/s); 19 leaves a little room.
    /// </summary>
    [Positive("Delivery:WritesPerSecond")] public double WritesPerSecond { get; set; } = 19;

    /// <summary>Wait used after a 429 without Retry-After.</summary>
    [Positive("Delivery:DefaultRetryAfter")] public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    // Who sends: this instance's workers and the leases on the rows they hold.
    /// <summary>
    /// Rows processed concurrently per instance (Graph latency, not CPU, bounds throughput). Each row spends about half
    /// a second with Graph (look-up, invitation, the group adds that wait to go out together), so 28/s needs about 14
    /// at once; each idle worker also polls the database, so more is not free.
    /// </summary>
    [Positive("Delivery:WorkerCount")] public int WorkerCount { get; set; } = 16;

    /// <summary>Rows one worker claims per statement; small, so a crash strands few rows behind a lease.</summary>
    [Positive("Delivery:ClaimBatchSize")] public int ClaimBatchSize { get; set; } = 5;

    /// <summary>How long a claim is held before another worker may take the row over.</summary>
    [Positive("Delivery:LeaseDuration")] public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause between polls when nothing is due.</summary>
    [Positive("Delivery:IdleDelay")] public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// This instance's stable name in lease owners (default: the machine name). A restarted instance takes back the rows
    /// its previous process held at once instead of waiting for their leases to expire; so two instances running at the
    /// same time must not share a name (set it per instance when several run on one machine).
    /// </summary>
    public string? InstanceName { get; set; }

    // How persistently: retries of one row.
    /// <summary>Attempts (transient failures) before a row becomes Failed with its last error.</summary>
    [Positive("Delivery:MaxAttempts")] public int MaxAttempts { get; set; } = 8;

    /// <summary>First backoff after a transient failure; doubles per attempt (with jitter) up to <see cref="BackoffMax"/>.</summary>
    [Positive("Delivery:BackoffBase")] public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait between attempts. Graph's 5xx and timeouts are usually brief and 429s follow Retry-After instead,
    /// so a minute keeps unlucky rows from idling for minutes; a real outage still ends in Failed rows an admin re-sends.
    /// </summary>
    [Positive("Delivery:BackoffMax")] public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after the invitation a group add or app assignment that gets 404 for the new guest is tried again
    /// (Entra: a new guest "might take a few minutes" to replicate); after it the assignment is Failed.
    /// </summary>
    [Positive("Delivery:ReplicationWait")] public TimeSpan ReplicationWait { get; set; } = TimeSpan.FromMinutes(10);

    // Graph itself: its timeout and the app registration's certificate.
    /// <summary>
    /// Timeout of one Graph HTTP request; a timed-out invitation is retried only after a directory look-up.
    /// Null = 30 s (10 s in simulation, whose injected timeouts never answer, so waiting longer only slows a demo).
    /// </summary>
    [Positive("Delivery:GraphTimeout")] public TimeSpan? GraphTimeout { get; set; }

    /// <summary>PFX file of the app registration's certificate; when set it is used instead of the client secret.</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientCertificatePassword { get; set; }

    // After sending: how often acceptance is looked for.
    /// <summary>How often the redemption tracker looks for accepted invitations; null = 5 minutes (5 seconds in simulation).</summary>
    [Positive("Delivery:TrackerInterval")] public TimeSpan? TrackerInterval { get; set; }

    internal TimeSpan EffectiveGraphTimeout(bool simulated) =>
        GraphTimeout ?? (simulated ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30));

    internal TimeSpan EffectiveTrackerInterval(bool simulated) =>
        TrackerInterval ?? (simulated ? TimeSpan.FromSeconds(5) : TimeSpan.FromMinutes(5));
}
