using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// The portal as a real operating-system process (<c>dotnet B2BPortal.Web.dll</c> from the test's output folder),
/// configured through environment variables like an operator would, so a test can kill it with SIGKILL.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private const int MaxOutput = 64 * 1024;

    /// <summary>How long a killed process may take to be gone, and the kill command to finish.</summary>
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote (stdout and stderr, first 64 KB), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the portal and waits until /readyz answers 200 (database reachable, migrations applied).</summary>
    /// <param name="directory">Where B2BPortal.Web.dll is; this process's own folder (the tests' output) when null.</param>
    /// <param name="environment">ASPNETCORE_ENVIRONMENT: Production unless a caller needs otherwise.</param>
    public static async Task<PortalProcess> StartAsync(
        IDictionary<string, string?> settings, TimeSpan timeout, string? directory = null, string environment = "Production")
    {
        ArgumentNullException.ThrowIfNull(settings);
        directory ??= AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "B2BPortal.Web.dll");
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the portal process.");
        var portal = new PortalProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.Until(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"The portal process exited with {process.ExitCode} before it was ready:\n{portal.Output}");
                    }

                    return await ReadinessAsync(http, baseUrl);
                },
                status => status == "200 OK",
                $"{baseUrl}/readyz answers 200",
                timeout,
                status => $"{status}; the process wrote:\n{portal.Output}");
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    // "200 OK", "503 ServiceUnavailable", or why there was no answer (not listening yet, no answer within 2 s).
    private static async Task<string> ReadinessAsync(HttpClient http, string baseUrl)
    {
        try
        {
            using var ready = await http.GetAsync(new Uri($"{baseUrl}/readyz"));
            return $"{(int)ready.StatusCode} {ready.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"no answer ({e.Message})";
        }
        catch (TaskCanceledException)
        {
            return "no answer within 2 s";
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, leases stay as they were.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync(ExitLimit, "after SIGKILL");
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; waits for the process to exit, at most <paramref name="timeout"/>.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        var pid = _process.Id.ToString(CultureInfo.InvariantCulture);
        using (var kill = Process.Start("kill", ["-TERM", pid]))
        using (var limit = new CancellationTokenSource(ExitLimit))
        {
            try
            {
                await kill.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"kill -TERM {pid} did not finish within {ExitLimit.TotalSeconds:0.#} s. The portal process wrote:\n{Output}"));
            }
        }

        await WaitForExitAsync(timeout, "after SIGTERM");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(ExitLimit, "after SIGKILL");
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    // Without a limit this waited for ever on a process that ignored its signal, and also on one that was gone but
    // whose redirected output stayed open: WaitForExitAsync waits for the end of that output too, which a child process
    // that outlives the portal can hold back.
    private async Task WaitForExitAsync(TimeSpan limit, string after)
    {
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            var state = _process.HasExited ? "it exited, but its output stayed open (a child process holds it)" : "it is still running";
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"The portal process {_process.Id} did not finish within {limit.TotalSeconds:0.#} s {after}: {state}. It wrote:\n{Output}"));
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < MaxOutput)
            {
                _output.AppendLine(line);
            }
        }
    }
}
