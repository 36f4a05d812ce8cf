namespace B2BPortal.Web.Data;

/// <summary>
/// One entry of the portal's <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> (today: admins'
/// MSAL token caches, already encrypted by Microsoft.Identity.Web before they get here). Times are Unix milliseconds so
/// both providers store and compare them as plain integers.
/// </summary>
public sealed class CacheEntry
{
    [MaxLength(FieldLengths.CacheKey)] public required string Key { get; set; }

    public required byte[] Value { get; set; }

    /// <summary>When the entry stops being served; moved on by a read when it has a sliding expiration.</summary>
    public long ExpiresAtMs { get; set; }

    public long? SlidingExpirationMs { get; set; }

    /// <summary>The hard limit a sliding expiration never moves past.</summary>
    public long? AbsoluteExpirationMs { get; set; }
}
