using System.Globalization;
using System.Text;
using B2BPortal.Web.Batches;
using B2BPortal.Web.Data;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Benchmarks;

/// <summary>
/// Upload → stored, the whole path an upload takes: a 50,000-row 2016-format CSV streamed through
/// <see cref="UploadBatch"/> (sniff, parse, validate, duplicate and earlier-batch checks, SHA-256, one
/// transaction with binary COPY) into PostgreSQL. One warm-up run, then 5 measured runs, each with new addresses.
/// </summary>
internal static class UploadBench
{
    private const int Rows = 50_000;
    private const int MeasuredRuns = 5;
    private const string BenchGroup = "0f0e0d0c-0b0a-4909-8807-060504030201";
    private const string BenchApp = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";

    public static async Task RunAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("upload-bench", CancellationToken.None);
        try
        {
            await using var services = BenchServices.Build(connectionString);
            await services.MigratePortalDatabaseAsync(CancellationToken.None);
            await AllowBenchTargetsAsync(services);

            Console.WriteLine($"upload: {Rows:N0}-row CSV → validated and stored batch, 1 warm-up + {MeasuredRuns} measured runs");
            Console.WriteLine($"machine:  {Measurement.Machine()}");
            Console.WriteLine($"database: {server.Description}");

            var seconds = new List<double>();
            var growth = new List<double>();
            for (var run = 0; run <= MeasuredRuns; run++)
            {
                var csv = Csv(run);
                using var measurement = Measurement.Start();
                Batch batch;
                await using (var scope = services.CreateAsyncScope())
                {
                    var upload = scope.ServiceProvider.GetRequiredService<UploadBatch>();
                    await using var stream = new MemoryStream(csv, writable: false);
                    batch = await upload.HandleAsync(new UploadBatch.Command(stream, $"partners-{run}.csv", "bench@contoso.example", Submit: true), CancellationToken.None);
                }

                measurement.Stop();
                var label = run == 0 ? "warm-up" : $"run {run}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label,-8} {measurement.Elapsed.TotalSeconds:F3} s, {csv.Length / 1024.0 / 1024.0:F1} MB file, {batch.ValidRows:N0} valid / {batch.InvalidRows:N0} invalid, peak working-set growth {measurement.PeakGrowthMegabytes:F1} MB"));
                if (run > 0)
                {
                    seconds.Add(measurement.Elapsed.TotalSeconds);
                    growth.Add(measurement.PeakGrowthMegabytes);
                }
            }

            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                Console.WriteLine($"stored:   {await db.Invitations.CountAsync():N0} invitations in {await db.Batches.CountAsync()} batches");
            }

            var median = seconds.Order().ElementAt(seconds.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result:   median {median:F3} s, min {seconds.Min():F3} s, max peak working-set growth {growth.Max():F1} MB ({Rows / median:N0} rows/s)"));
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }


    /// <summary>The file's group and app on the assignable list, as a Global Administrator would have put them: rows that name others are Invalid.</summary>
    private static async Task AllowBenchTargetsAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.AssignableTargets.AddRange(
            new AssignableTarget { Kind = AssignableKind.Group, TargetId = BenchGroup, DisplayName = "Partners", AddedBy = "bench@contoso.example", AddedAt = DateTime.UtcNow },
            new AssignableTarget { Kind = AssignableKind.Application, TargetId = BenchApp, DisplayName = "Partner portal", AddedBy = "bench@contoso.example", AddedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    /// <summary>A realistic file: every 2016 column filled, one group and one app per row, a few languages.</summary>
    private static byte[] Csv(int run)
    {
        string[] languages = ["en", "de", "fr", "ja", "pt-BR", ""];
        const string group = BenchGroup;
        const string app = BenchApp;
        var text = new StringBuilder(Rows * 200);
        text.Append("Email,DisplayName,InviteAppID,InviteReplyUrl,InviteAppResources,InviteGroupResources,InviteContactUsUrl,Language\r\n");
        for (var i = 0; i < Rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"guest{i}.r{run}@partner{i % 97}.example.com,\"Guest {i}, Partner {i % 97}\",{app},https://myapps.microsoft.com,{app},{group},https://partner.example.com/contact,{languages[i % languages.Length]}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
