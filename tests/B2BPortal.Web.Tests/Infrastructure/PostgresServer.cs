using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test (or benchmark) process: the connection string in
/// <c>B2BPORTAL_TEST_POSTGRES</c> when set, otherwise a throwaway cluster started from the machine's binaries
/// (/usr/lib/postgresql/N/bin, highest N), trust auth on 127.0.0.1 and a private socket dir, durability off,
/// stopped and deleted when the process exits. This file is linked into the benchmark project too.
/// </summary>
public sealed class PostgresServer
{
    public const string ConnectionStringVariable = "B2BPORTAL_TEST_POSTGRES";

    private const string DirectoryPrefix = "b2bportal-pg-";
    private const string OwnerFile = "owner.pid";

    private static readonly Lazy<Task<PostgresServer>> _shared = new(StartAsync);

    /// <summary>How long chown, initdb or pg_ctl may run; pg_ctl's own waits (-t 60) fit inside.</summary>
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(2);

    // Set only for a cluster this process started (null for B2BPORTAL_TEST_POSTGRES).
    private readonly Cluster? _cluster;

    private PostgresServer(string adminConnectionString, string description, Cluster? cluster = null)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
        _cluster = cluster;
    }

    /// <summary>Connects to the maintenance database as a superuser; use it to create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where the server came from, for benchmark output.</summary>
    public string Description { get; }

    public static Task<PostgresServer> GetAsync() => _shared.Value;

    /// <summary>
    /// A cluster of its own (never the shared one, never <c>B2BPORTAL_TEST_POSTGRES</c>) for a test that stops and
    /// restarts the server; dispose it to stop and delete it.
    /// </summary>
    public static Task<PostgresServer> StartDedicatedAsync() => StartClusterAsync();

    /// <summary>Stops a dedicated server as an operator would (<c>pg_ctl stop -m fast</c>: sessions are disconnected).</summary>
    public Task StopAsync() =>
        RunAsync(OwnCluster.AsRoot, Path.Combine(OwnCluster.Bin, "pg_ctl"), "-D", OwnCluster.Data, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary>Starts a stopped dedicated server again on the same data directory and port.</summary>
    public Task StartAgainAsync() =>
        RunAsync(OwnCluster.AsRoot, Path.Combine(OwnCluster.Bin, "pg_ctl"), "-D", OwnCluster.Data, "-l", OwnCluster.Log, "-w", "-t", "60", "-o", OwnCluster.Options, "start");

    /// <summary>Stops and deletes a dedicated server.</summary>
    public void Destroy() => Stop(OwnCluster.Bin, OwnCluster.AsRoot, OwnCluster.Root);

    private Cluster OwnCluster => _cluster ?? throw new InvalidOperationException("This server was not started by the test process.");

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose, CancellationToken ct)
    {
        var name = $"b2b_{new string([.. purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)])}";
        name = $"{name[..Math.Min(name.Length, 30)]}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresServer(external, $"{ConnectionStringVariable} ({new NpgsqlConnectionStringBuilder(external).Host})");
        }

        return await StartClusterAsync();
    }

    private static async Task<PostgresServer> StartClusterAsync()
    {
        var bin = FindBinaries();
        var asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        StopAbandonedClusters(bin, asRoot);

        var root = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var data = Path.Combine(root, "data");
        var log = Path.Combine(root, "postgres.log");
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            await RunAsync(asRoot: false, "chown", "-R", "postgres:postgres", root);
        }

        await RunAsync(asRoot, Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");

        var port = FreePort();
        var options = string.Join(' ',
            $"-p {port}",
            $"-k {root}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            // Every test host keeps its own pool (up to ~20 with 16 delivery workers), and on a starved 2-core machine
            // pools grow while queries wait: 300 was reached with the suite running beside a benchmark.
            "-c max_connections=1000");
        try
        {
            await RunAsync(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException && File.Exists(log))
        {
            var withLog = $"{e.Message}\n{await File.ReadAllTextAsync(log)}";
            throw e is TimeoutException ? new TimeoutException(withLog, e) : new InvalidOperationException(withLog, e);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(bin, asRoot, root);

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
        return new PostgresServer(connectionString, $"throwaway cluster {bin} on 127.0.0.1:{port}", new Cluster(bin, asRoot, root, data, log, options));
    }

    private sealed record Cluster(string Bin, bool AsRoot, string Root, string Data, string Log, string Options);

    private static string FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        var best = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(d => (Version: decimal.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(c => c.Version >= 0 && File.Exists(Path.Combine(c.Bin, "initdb")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Bin)
                .FirstOrDefault()
            : null;
        return best ?? throw new InvalidOperationException(
            $"No PostgreSQL binaries under {Root}: install the postgresql package (test.sh does when run as root) or set {ConnectionStringVariable}.");
    }

    // A test run that was killed leaves its cluster running; stop those whose owning process is gone.
    private static void StopAbandonedClusters(string bin, bool asRoot)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(dir, OwnerFile);
                if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile), out var owner) || IsAlive(owner))
                {
                    continue;
                }

                Stop(bin, asRoot, dir);
            }
            catch (IOException)
            {
                // Another run is cleaning it up, or it is not ours: leave it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // One shell does both steps, so the clean-up finishes even when the host kills this process right after exit.
    private static void Stop(string bin, bool asRoot, string root)
    {
        var script = "\"$1\" -D \"$2/data\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$2\"";
        var start = new ProcessStartInfo(asRoot ? "runuser" : "sh") { UseShellExecute = false };
        foreach (var argument in (string[])[.. asRoot ? ["-u", "postgres", "--", "sh"] : Array.Empty<string>(), "-c", script, "sh", Path.Combine(bin, "pg_ctl"), root])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start);
        process?.WaitForExit(TimeSpan.FromSeconds(20));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(bool asRoot, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(asRoot ? "runuser" : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var a in (string[])["-u", "postgres", "--", fileName])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var command = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        using (var limit = new CancellationTokenSource(CommandLimit))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                // A hung initdb or pg_ctl held the whole test run without a word; now it is killed (with runuser and
                // any server it started) and named.
                process.Kill(entireProcessTree: true);
                var said = await SaidAsync(output, errors);
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"{command} did not finish within {CommandLimit.TotalSeconds:0} s and was killed: {said}"));
            }
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {await SaidAsync(output, errors)}");
        }
    }

    // The server started by pg_ctl writes to its log file, so these pipes close with the command; if something else
    // still holds them, the message says so rather than waiting.
    private static async Task<string> SaidAsync(Task<string> output, Task<string> errors)
    {
        var reading = Task.WhenAll(output, errors);
        try
        {
            return string.Join('\n', await reading.WaitAsync(TimeSpan.FromSeconds(5))).Trim();
        }
        catch (TimeoutException) when (!reading.IsCompleted)
        {
            return "(its output was still open 5 s later)";
        }
    }
}
