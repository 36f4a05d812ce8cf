using B2BPortal.Benchmarks;

// Bench commands print figures and assert nothing: dotnet run -c Release --project tests/B2BPortal.Benchmarks -- NAME
var benches = new Dictionary<string, Func<Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["bulk-insert"] = BulkInsertBench.RunPostgresAsync,
    ["bulk-insert-sqlite"] = BulkInsertBench.RunSqliteAsync,
    ["upload"] = UploadBench.RunAsync,
    ["delivery"] = () => DeliveryBench.RunAsync(Console.Out),
    ["assignments"] = () => DeliveryBench.RunAssignmentsAsync(Console.Out),
    ["pages"] = PagesBench.RunAsync,
    ["load"] = LoadBench.RunAsync,
};

if (args.Length == 0 || !benches.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project tests/B2BPortal.Benchmarks -- <{string.Join('|', benches.Keys)}>");
    return 2;
}

await bench();
return 0;
