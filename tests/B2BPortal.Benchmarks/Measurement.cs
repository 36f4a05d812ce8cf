using System.Diagnostics;
using System.Globalization;

namespace B2BPortal.Benchmarks;

/// <summary>Times one run and samples the working set while it runs, so peak growth over the start is visible.</summary>
internal sealed class Measurement : IDisposable
{
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly long _baseline;
    private readonly Thread _sampler;
    private volatile bool _running = true;
    private long _peak;

    private Measurement()
    {
        _baseline = CurrentWorkingSet();
        _peak = _baseline;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "working-set sampler" };
        _sampler.Start();
    }

    public TimeSpan Elapsed { get; private set; }

    public double PeakGrowthMegabytes { get; private set; }

    public static Measurement Start()
    {
        // Start from a settled heap so growth belongs to the measured work.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new Measurement();
    }

    public void Stop()
    {
        Elapsed = _stopwatch.Elapsed;
        _running = false;
        _sampler.Join();
        _peak = Math.Max(_peak, CurrentWorkingSet());
        PeakGrowthMegabytes = (_peak - _baseline) / 1024.0 / 1024.0;
    }

    public void Dispose()
    {
        if (_running)
        {
            Stop();
        }
    }

    public static string Machine()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {memory:F1} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private void Sample()
    {
        while (_running)
        {
            var now = CurrentWorkingSet();
            if (now > _peak)
            {
                _peak = now;
            }

            Thread.Sleep(5);
        }
    }
}
