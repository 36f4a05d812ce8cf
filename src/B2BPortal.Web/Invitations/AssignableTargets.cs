using B2BPortal.Simulator;

namespace B2BPortal.Web.Invitations;

/// <summary>
/// The groups and applications uploads may name, as one upload reads them (issue 11). The portal's app-only Graph
/// permissions (GroupMember.ReadWrite.All, AppRoleAssignment.ReadWrite.All) reach every group and app in the tenant, so
/// a row naming anything not on this list is Invalid at upload; a group or app that does not exist cannot be on it.
/// </summary>
public sealed class AssignableList
{
    private readonly Dictionary<(AssignableKind, string), string> _names;

    public AssignableList(IEnumerable<AssignableTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Targets = [.. targets];
        _names = Targets.ToDictionary(t => (t.Kind, Key(t.TargetId)), t => t.DisplayName);
    }

    /// <summary>The groups and applications on the list, as a form offers them.</summary>
    public IReadOnlyList<AssignableTarget> Targets { get; }

    public static AssignableList Empty { get; } = new([]);

    public bool IsEmpty => _names.Count == 0;

    public static async Task<AssignableList> LoadAsync(PortalDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return new AssignableList(await db.AssignableTargets.AsNoTracking().ToListAsync(ct));
    }

    public bool Allows(AssignableKind kind, string id) => _names.ContainsKey((kind, Key(id)));

    /// <summary>The display name stored for a group or app on the list; null when it is not on it.</summary>
    public string? NameOf(AssignableKind kind, string id) => _names.GetValueOrDefault((kind, Key(id)));

    /// <summary>"Groups: A, B · Apps: C" for lists of IDs, by name where the list has one; null when there are none.</summary>
    public string? Describe(IReadOnlyCollection<string>? groupIds, IReadOnlyCollection<string>? appIds)
    {
        string? Part(string label, AssignableKind kind, IReadOnlyCollection<string>? ids) => ids is not { Count: > 0 } ? null
            : $"{label}: " + string.Join(", ", ids.Select(id => NameOf(kind, id) ?? id));
        var parts = new[] { Part("Groups", AssignableKind.Group, groupIds), Part("Apps", AssignableKind.Application, appIds) }.OfType<string>().ToList();
        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    /// <summary>IDs as rows store them: GUIDs lower-case in the D format (other text as written).</summary>
    public static string Key(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Guid.TryParse(id, out var guid) ? guid.ToString("D") : id.Trim();
    }
}

/// <summary>What adding to the list came to: the entry added, or names to choose from, or why nothing was added.</summary>
public sealed record AssignableAddResult(AssignableTarget? Added, IReadOnlyList<DirectoryTarget> Choices, string? Problem);

/// <summary>
/// Keeps the assignable list (Settings → Assignable groups and applications, Global Administrators only): adds a group or
/// application after finding it in the tenant through Graph (so the name is the tenant's and an ID that does not exist is
/// refused), removes entries, and writes each change to the audit log.
/// </summary>
public sealed class AssignableTargets(PortalDbContext db, GraphGateway graph, TimeProvider time)
{
    public const string AddedAction = "AssignableAdded";
    public const string RemovedAction = "AssignableRemoved";

    /// <summary>Where the fix for a row naming something not on the list is made, as messages name it.</summary>
    public const string SettingsPath = "Settings → Assignable groups and applications";

    public async Task<IReadOnlyList<AssignableTarget>> ListAsync(CancellationToken ct) =>
        await db.AssignableTargets.AsNoTracking().OrderBy(t => t.Kind).ThenBy(t => t.DisplayName).ThenBy(t => t.TargetId).ToListAsync(ct);

    /// <summary>
    /// Adds a group (object ID) or application (client ID) by ID or by the start of its display name. A name that several
    /// groups or apps start with answers them as choices; nothing is added then.
    /// </summary>
    public async Task<AssignableAddResult> AddAsync(AssignableKind kind, string? idOrName, string actor, CancellationToken ct)
    {
        var what = kind == AssignableKind.Group ? "group" : "application";
        var input = idOrName?.Trim();
        if (string.IsNullOrEmpty(input))
        {
            return Problem($"Enter the {what}'s {(kind == AssignableKind.Group ? "object ID" : "application (client) ID")} or the start of its name.");
        }

        if (input.Length > FieldLengths.DisplayName || input.Any(char.IsControl))
        {
            return Problem($"'{Shown(input)}' is not a {what} ID or name: enter a GUID or the start of the {what}'s display name.");
        }

        DirectoryTarget found;
        if (Guid.TryParse(input, out var guid))
        {
            var id = guid.ToString("D");
            var (target, failure) = kind == AssignableKind.Group ? await graph.FindGroupAsync(id, ct) : await graph.FindApplicationAsync(id, ct);
            if (failure is not null)
            {
                return Problem($"Graph could not look up {what} {id}: {Describe(failure)} Nothing was added; try again.");
            }

            if (target is null)
            {
                return Problem(kind == AssignableKind.Group
                    ? $"There is no group with object ID {id} in this tenant (Entra admin center › Groups › Object ID). Nothing was added."
                    : $"There is no application with application (client) ID {id} in this tenant, or it has no service principal (Entra admin center › Enterprise applications › Application ID). Nothing was added.");
            }

            found = target;
        }
        else
        {
            var (matches, failure) = kind == AssignableKind.Group ? await graph.SearchGroupsAsync(input, ct) : await graph.SearchApplicationsAsync(input, ct);
            if (failure is not null)
            {
                return Problem($"Graph could not search for {what}s named '{Shown(input)}': {Describe(failure)} Nothing was added; try again.");
            }

            var exact = matches.Where(m => string.Equals(m.DisplayName, input, StringComparison.OrdinalIgnoreCase)).ToList();
            if (exact.Count == 1 || matches.Count == 1)
            {
                found = exact.Count == 1 ? exact[0] : matches[0];
            }
            else if (matches.Count == 0)
            {
                return Problem($"No {what} in this tenant has a name starting with '{Shown(input)}'. Nothing was added.");
            }
            else
            {
                return new AssignableAddResult(null, matches, null);
            }
        }

        var key = AssignableList.Key(found.Id);
        if (await db.AssignableTargets.AnyAsync(t => t.Kind == kind && t.TargetId == key, ct))
        {
            return Problem($"{Capital(what)} '{found.DisplayName}' ({key}) is already on the list.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var added = new AssignableTarget
        {
            Kind = kind,
            TargetId = key,
            DisplayName = Truncate(found.DisplayName, FieldLengths.DisplayName),
            AddedBy = actor,
            AddedAt = now,
        };
        db.AssignableTargets.Add(added);
        db.Audit(now, actor, AddedAction, $"{Capital(what)} '{added.DisplayName}' ({key}) may be named in uploads");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another Global Administrator added it a moment ago (the unique index); anything else is a real error.
            db.ChangeTracker.Clear();
            if (!await db.AssignableTargets.AnyAsync(t => t.Kind == kind && t.TargetId == key, ct))
            {
                throw;
            }

            return Problem($"{Capital(what)} '{found.DisplayName}' ({key}) is already on the list.");
        }

        return new AssignableAddResult(added, [], null);
    }

    /// <summary>Removes an entry; what happened, as the audit log records it and the settings page shows it.</summary>
    public Task<string> RemoveAsync(long id, string actor, CancellationToken ct) =>
        db.RemoveAuditedAsync<AssignableTarget>(
            id, time.GetUtcNow().UtcDateTime, actor, RemovedAction,
            target => $"Removed {What(target.Kind)} '{target.DisplayName}' ({target.TargetId}): rows that name it are Invalid from the next upload on", ct);

    /// <summary>
    /// With the simulated tenant, its seeded groups and applications start on the list (so development and demos work at
    /// once); only into an empty list, so what a Global Administrator removed stays removed while others remain. A real
    /// tenant starts empty.
    /// </summary>
    public static async Task SeedSimulatedTenantAsync(IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.GetRequiredService<TenantConnectionResolver>().Simulated)
        {
            return;
        }

        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.AssignableTargets.AnyAsync(ct))
        {
            return;
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var seeds = SimulatedTenantDefaults.Groups.Select(g => (AssignableKind.Group, g.Id, g.DisplayName))
            .Concat(SimulatedTenantDefaults.Applications.Select(a => (AssignableKind.Application, a.AppId, a.DisplayName)));
        foreach (var (kind, id, name) in seeds)
        {
            db.AssignableTargets.Add(new AssignableTarget { Kind = kind, TargetId = AssignableList.Key(id), DisplayName = name, AddedBy = "system", AddedAt = now });
        }

        db.Audit(now, "system", AddedAction, $"The simulated tenant's {Plural.Of(SimulatedTenantDefaults.Groups.Count, "group")} and {Plural.Of(SimulatedTenantDefaults.Applications.Count, "application")} may be named in uploads");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance of the same deployment seeding at the same moment is fine; anything else is a real error.
            await using var check = await factory.CreateDbContextAsync(ct);
            if (!await check.AssignableTargets.AnyAsync(ct))
            {
                throw;
            }
        }
    }

    public static string What(AssignableKind kind) => kind == AssignableKind.Group ? "group" : "application";

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static string Shown(string value) => value.Length > 80 ? value[..80] + "…" : value;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string Describe(GraphOutcome failure) => failure switch
    {
        PermanentFailure p => p.Message,
        Transient t => t.Reason,
        TenantBlocked b => b.Message,
        Throttled => "Graph is throttling the portal's requests.",
        _ => failure.ToString() ?? "no answer.",
    };

    private static AssignableAddResult Problem(string message) => new(null, [], message);
}
