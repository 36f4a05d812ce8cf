using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace B2BPortal.Web.Tests.Api;

/// <summary>
/// /openapi/v1.json as the test host serves it: clean under Spectral's standard OpenAPI rules (spectral:oas), and equal to
/// the copy the checked-in Kiota client was generated from (Api/Client/README.md).
/// </summary>
public sealed class OpenApiDocumentTests(PortalFactory portal, ITestOutputHelper output) : IClassFixture<PortalFactory>
{
    /// <summary>Raise together with the ruleset's expectations; npm installs exactly this into tests/.tools (gitignored).</summary>
    private const string SpectralVersion = "6.16.3";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "B2BPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No B2BPortal.sln above {AppContext.BaseDirectory}.");
    }

    internal static async Task<string> ServedDocumentAsync(PortalFactory portal)
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    [Fact]
    public async Task OpenApiDocument_SpectralOasRuleset_ReportsNoProblems()
    {
        var document = await ServedDocumentAsync(portal);
        var tools = Path.Combine(RepositoryRoot(), "tests", ".tools", "spectral");
        var spectral = await EnsureSpectralAsync(tools);
        var path = Path.Combine(tools, "openapi-v1.json");
        await File.WriteAllTextAsync(path, document);
        var ruleset = Path.Combine(RepositoryRoot(), "tests", "B2BPortal.Web.Tests", "Api", ".spectral.yaml");

        var (code, text) = await RunAsync(spectral, ["lint", path, "--ruleset", ruleset, "--format", "text", "--fail-severity", "hint"], tools, TimeSpan.FromMinutes(2));

        output.WriteLine($"spectral {SpectralVersion} (spectral:oas) on /openapi/v1.json, exit {code}:");
        output.WriteLine(text);
        Assert.True(code == 0 && text.Contains("No results with a severity of 'hint' or higher found!", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task OpenApiDocument_OnlyApiOperations_EachDescribedWithIdSummaryAndProblemDetailsForErrors()
    {
        var document = JsonDocument.Parse(await ServedDocumentAsync(portal)).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Method: op.Name, Operation: op.Value)))
            .ToList();
        Assert.All(operations, o => Assert.StartsWith("/api/v1/", o.Path, StringComparison.Ordinal));
        Assert.Equal(21, operations.Count);
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());

        // Api/ApiOperations.json describes exactly the operations served: none stale, none mapped without one.
        Assert.Equal(
            B2BPortal.Web.Api.ApiOperations.Ids.Order(StringComparer.Ordinal),
            operations.Select(o => o.Operation.GetProperty("operationId").GetString()!).Order(StringComparer.Ordinal));
        foreach (var (path, method, operation) in operations)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), name);
            Assert.Equal(2, operation.GetProperty("security").GetArrayLength());
            var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            Assert.Contains("401", responses.Keys);
            Assert.Contains("403", responses.Keys);
            Assert.Contains(responses.Keys, status => status.StartsWith('2'));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var content = response.GetProperty("content");
                Assert.True(content.TryGetProperty("application/problem+json", out var problem), $"{name} {status} is not problem+json");
                Assert.Equal("#/components/schemas/ProblemDetails", problem.GetProperty("schema").GetProperty("$ref").GetString());
            }
        }

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        Assert.Equal("X-CSRF-TOKEN", schemes.GetProperty("antiforgery").GetProperty("name").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_Upload_IsMultipartWithARequiredBinaryFileFieldAndSubmitAndEmailParameters()
    {
        var document = JsonDocument.Parse(await ServedDocumentAsync(portal)).RootElement;
        var upload = document.GetProperty("paths").GetProperty("/api/v1/batches").GetProperty("post");

        var body = upload.GetProperty("requestBody");
        Assert.True(body.GetProperty("required").GetBoolean());
        var reference = body.GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var form = schemas.GetProperty(reference.Split('/')[^1]);
        Assert.Equal(["file"], form.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var file = form.GetProperty("properties").GetProperty("file");
        if (file.TryGetProperty("$ref", out var fileReference))
        {
            file = schemas.GetProperty(fileReference.GetString()!.Split('/')[^1]);
        }

        Assert.Equal("string", file.GetProperty("type").GetString());
        Assert.Equal("binary", file.GetProperty("format").GetString());
        var parameters = upload.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("boolean", parameters["submit"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(["microsoft", "portal"], parameters["email"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["201", "400", "401", "403", "409", "413", "415", "429"],
            upload.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(upload.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
    }

    [Fact]
    public async Task OpenApiDocument_EqualsTheCopyTheGeneratedClientWasMadeFrom()
    {
        var served = JsonNode.Parse(await ServedDocumentAsync(portal));
        var copy = Path.Combine(RepositoryRoot(), "tests", "B2BPortal.Web.Tests", "Api", "Client", "openapi-v1.json");
        if (Environment.GetEnvironmentVariable("B2BPORTAL_UPDATE_OPENAPI") == "1")
        {
            // Api/Client/README.md: refresh the copy, then regenerate the client from it with Kiota.
            await File.WriteAllTextAsync(copy, served!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        Assert.True(
            JsonNode.DeepEquals(served, JsonNode.Parse(await File.ReadAllTextAsync(copy))),
            "/openapi/v1.json changed: refresh tests/B2BPortal.Web.Tests/Api/Client/openapi-v1.json and regenerate the Kiota client as Api/Client/README.md says.");
    }

    /// <summary>spectral from tests/.tools/spectral, installed there by npm when missing or of another version.</summary>
    private async Task<string> EnsureSpectralAsync(string tools)
    {
        var bin = Path.Combine(tools, "node_modules", ".bin", "spectral");
        var installed = Path.Combine(tools, "node_modules", "@stoplight", "spectral-cli", "package.json");
        if (File.Exists(bin) && File.Exists(installed)
            && JsonDocument.Parse(await File.ReadAllTextAsync(installed)).RootElement.GetProperty("version").GetString() == SpectralVersion)
        {
            return bin;
        }

        Directory.CreateDirectory(tools);
        var (code, text) = await RunAsync(
            "npm",
            ["install", "--prefix", tools, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel", "error", $"@stoplight/spectral-cli@{SpectralVersion}"],
            tools,
            InstallTimeout);
        output.WriteLine($"npm install @stoplight/spectral-cli@{SpectralVersion}: exit {code}\n{text}");
        Assert.True(code == 0 && File.Exists(bin), $"npm could not install spectral (needs node and npm: apt-get install nodejs npm; ./test.sh does it as root): {text}");
        return bin;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["SCARF_ANALYTICS"] = "false";
        start.Environment["DO_NOT_TRACK"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeout}.");
        }

        // A child that outlives the command (npm's and spectral's node processes) keeps the pipes open after the exit.
        var said = await Task.WhenAll(stdout, stderr).Within(
            TimeSpan.FromSeconds(10), $"the output of {file} {string.Join(' ', arguments)} did not end after it exited with {process.ExitCode}");
        return (process.ExitCode, said[0] + said[1]);
    }
}
