using Microsoft.Extensions.Caching.Distributed;

namespace B2BPortal.Web.Data;

/// <summary>
/// <see cref="IDistributedCache"/> in the portal's own database (table CacheEntries), so every instance — web and
/// worker — shares it and it survives restarts. No PostgreSQL cache package is served here, and one implementation
/// works on both providers: the upsert is SQL both PostgreSQL and SQLite speak. It stores bytes as given; what must
/// be secret (admins' token caches) is encrypted by the caller (Microsoft.Identity.Web with Data Protection).
/// </summary>
public sealed class DatabaseDistributedCache(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IDistributedCache
{
    // Expired entries are swept on a write at most this often: cheap, and nothing is served past its expiry anyway.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private long _lastSweepMs;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var db = await contexts.CreateDbContextAsync(token).ConfigureAwait(false);
        var now = NowMs();
        var entry = await db.CacheEntries.AsNoTracking()
            .Where(e => e.Key == key && e.ExpiresAtMs > now)
            .Select(e => new { e.Value, e.SlidingExpirationMs, e.AbsoluteExpirationMs })
            .SingleOrDefaultAsync(token).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }

        if (entry.SlidingExpirationMs is { } sliding)
        {
            await SlideAsync(db, key, now, sliding, entry.AbsoluteExpirationMs, token).ConfigureAwait(false);
        }

        return entry.Value;
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var db = await contexts.CreateDbContextAsync(token).ConfigureAwait(false);
        var now = NowMs();
        var entry = await db.CacheEntries.AsNoTracking()
            .Where(e => e.Key == key && e.ExpiresAtMs > now)
            .Select(e => new { e.SlidingExpirationMs, e.AbsoluteExpirationMs })
            .SingleOrDefaultAsync(token).ConfigureAwait(false);
        if (entry?.SlidingExpirationMs is { } sliding)
        {
            await SlideAsync(db, key, now, sliding, entry.AbsoluteExpirationMs, token).ConfigureAwait(false);
        }
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var db = await contexts.CreateDbContextAsync(token).ConfigureAwait(false);
        await db.CacheEntries.Where(e => e.Key == key).ExecuteDeleteAsync(token).ConfigureAwait(false);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        long? absolute = options.AbsoluteExpiration?.ToUnixTimeMilliseconds()
            ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? (now + relative).ToUnixTimeMilliseconds() : null);
        long? sliding = options.SlidingExpiration is { } slide ? (long)slide.TotalMilliseconds : null;
        if (absolute is null && sliding is null)
        {
            throw new InvalidOperationException("A cache entry needs an absolute or a sliding expiration: the table is not a permanent store.");
        }

        if (absolute <= nowMs)
        {
            await RemoveAsync(key, token).ConfigureAwait(false);
            return;
        }

        var expires = Math.Min(absolute ?? long.MaxValue, sliding is null ? long.MaxValue : nowMs + sliding.Value);
        await using var db = await contexts.CreateDbContextAsync(token).ConfigureAwait(false);

        // One statement, so two instances writing the same key never collide on the primary key.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "CacheEntries" ("Key", "Value", "ExpiresAtMs", "SlidingExpirationMs", "AbsoluteExpirationMs")
            VALUES ({key}, {value}, {expires}, {sliding}, {absolute})
            ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value", "ExpiresAtMs" = excluded."ExpiresAtMs",
                "SlidingExpirationMs" = excluded."SlidingExpirationMs", "AbsoluteExpirationMs" = excluded."AbsoluteExpirationMs"
            """,
            token).ConfigureAwait(false);

        if (nowMs - Interlocked.Read(ref _lastSweepMs) >= SweepInterval.TotalMilliseconds)
        {
            Interlocked.Exchange(ref _lastSweepMs, nowMs);
            await db.CacheEntries.Where(e => e.ExpiresAtMs <= nowMs).ExecuteDeleteAsync(token).ConfigureAwait(false);
        }
    }

    private static Task SlideAsync(PortalDbContext db, string key, long now, long sliding, long? absolute, CancellationToken token)
    {
        var expires = Math.Min(absolute ?? long.MaxValue, now + sliding);
        return db.CacheEntries.Where(e => e.Key == key).ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAtMs, expires), token);
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
