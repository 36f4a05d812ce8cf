namespace B2BPortal.Web.Hosting;

/// <summary>Abuse limits per client (section <c>Portal:RateLimits</c>): a signed-in person, an automation client, or else an address.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Portal:RateLimits";

    /// <summary>
    /// API calls one client may make per <see cref="ApiWindow"/>; the next gets 429 until the window turns. Generous
    /// (1,000 a second on average): automation polls batch status, and the limit is there to stop a runaway client,
    /// not to slow a busy one.
    /// </summary>
    [Positive("Portal:RateLimits:ApiPermitsPerWindow")] public int ApiPermitsPerWindow { get; set; } = 60_000;

    /// <summary>The API's counting window.</summary>
    [Positive("Portal:RateLimits:ApiWindow")] public TimeSpan ApiWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Uploads (page or API) one client may have in progress at once; each holds its file's rows while it is read.</summary>
    [Positive("Portal:RateLimits:ConcurrentUploads")] public int ConcurrentUploads { get; set; } = 4;

    /// <summary>What a refused upload is told to wait (an upload in progress usually ends within this).</summary>
    [Positive("Portal:RateLimits:UploadRetryAfter")] public TimeSpan UploadRetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
