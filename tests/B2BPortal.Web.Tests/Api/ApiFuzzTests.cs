using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace B2BPortal.Web.Tests.Api;

/// <summary>
/// Every operation of /openapi/v1.json called with malformed inputs generated from the document itself: per path and
/// query parameter (by its type), per JSON body field (wrong types, nulls, huge and control-character text), whole
/// bodies that are not JSON or not the declared shape, multipart bodies that do not parse, and missing or bad
/// credentials. None may answer 5xx, and every error must be application/problem+json. Prints the tally.
/// </summary>
public sealed class ApiFuzzTests(PortalFactory portal, ITestOutputHelper output) : IClassFixture<PortalFactory>
{
    private const string Csv = "Email,DisplayName,InviteContactUsUrl\r\nfuzz@partner.example,Fuzz,https://c.example/\r\n";

    private static readonly string[] AnyText =
    [
        "", " ", "\0", "a\0b", "\u0001\u001f", new('x', 5000), "🙂", "Ω≈ç√", "' OR 1=1 --", "%", "\\", "_", "<script>", "../../etc/passwd", "null", "[]", "{}",
    ];

    private static readonly string[] Integers = ["-1", "0", "-2147483648", "2147483647", "2147483648", "99999999999999999999", "1.5", "1e3", "abc", "0x10", "+1", " 1"];

    private static readonly string[] Booleans = ["maybe", "2", "yes", "-1", "TRUE ", "tru"];

    private static readonly string[] Enums = ["Bogus", "0", "8", "999", "-1", "failed,invited"];

    private static readonly string[] Ids = ["not-a-guid", "0", "-1", "x y", "'", "00000000-0000-0000-0000-000000000000", "🙂", new('a', 2000), "{id}"];

    private static readonly string[] WholeJsonBodies =
    [
        "", "null", "[]", "\"text\"", "1", "true", "{", "{\"statuses\":", "{\"email\":\"a@b.example\"", "{}}", "{\"a\":1,}", "{'a':1}",
        new string('[', 5000) + new string(']', 5000), "{\"x\":" + new string('[', 200) + new string(']', 200) + "}", "\uFEFF{}",
    ];

    private const string KeepToken = "the automation client's token";

    private sealed record FuzzCase(string Label, HttpMethod Method, string Url, Func<HttpContent?> Body, string? Authorization = KeepToken);

    [Fact]
    public async Task Fuzz_EveryOperationWithMalformedInputs_NeverAnswers5xxAndEveryErrorIsProblemJson()
    {
        using var client = await portal.CreateAutomationClientAsync();
        using var form = BatchesApiTests.FileForm(Encoding.UTF8.GetBytes(Csv));
        var created = await client.PostAsync("/api/v1/batches?submit=false", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var batchId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var document = JsonDocument.Parse(await OpenApiDocumentTests.ServedDocumentAsync(portal)).RootElement;

        var cases = Cases(document, batchId).ToList();
        var tally = new SortedDictionary<int, int>();
        var failures = new List<string>();
        foreach (var fuzz in cases)
        {
            using var request = new HttpRequestMessage(fuzz.Method, fuzz.Url) { Content = fuzz.Body() };
            using var response = fuzz.Authorization == KeepToken ? await client.SendAsync(request) : await SendAsAnotherCallerAsync(request, fuzz.Authorization);
            var status = (int)response.StatusCode;
            tally[status] = tally.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{status} {fuzz.Label}: {Shorten(body)}");
            }
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} without problem+json ({response.Content.Headers.ContentType}) {fuzz.Label}: {Shorten(body)}");
            }
            else if (status >= 400 && string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()))
            {
                failures.Add($"{status} problem without a detail {fuzz.Label}: {Shorten(body)}");
            }
        }

        var summary = $"API fuzz: {cases.Count} requests over {CountOperations(document)} operations; status codes: " +
            string.Join(", ", tally.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key}×{t.Value}")));
        output.WriteLine(summary);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "api-fuzz-tally.txt"), summary + Environment.NewLine);
        Assert.True(failures.Count == 0, $"{summary}\n{failures.Count} answers broke the rule:\n{string.Join('\n', failures.Take(40))}");
        Assert.True(cases.Count > 500, summary);
    }

    /// <summary>Sends with <paramref name="authorization"/> (none when null) instead of the automation client's token.</summary>
    private async Task<HttpResponseMessage> SendAsAnotherCallerAsync(HttpRequestMessage request, string? authorization)
    {
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var anonymous = portal.CreatePortalClient();
        return await anonymous.SendAsync(request);
    }

    private static int CountOperations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().Sum(path => path.Value.EnumerateObject().Count());

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static IEnumerable<FuzzCase> Cases(JsonElement document, string batchId)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var name = operation.Value.GetProperty("operationId").GetString()!;
                var parameters = operation.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                var template = path.Name;
                string Url(string? id = null, string? query = null) =>
                    template.Replace("{id}", id ?? batchId, StringComparison.Ordinal) + (query is null ? "" : "?" + query);
                var body = BaselineBody(operation.Value, schemas);

                // Credentials: none, a token that is not one, a scheme the API does not take.
                yield return new($"{name} without credentials", method, Url(), body, Authorization: null);
                yield return new($"{name} with a garbage bearer token", method, Url(), body, Authorization: "Bearer not.a.token");
                yield return new($"{name} with basic credentials", method, Url(), body, Authorization: "Basic dXNlcjpwYXNz");

                foreach (var parameter in parameters)
                {
                    var parameterName = parameter.GetProperty("name").GetString()!;
                    var schema = parameter.GetProperty("schema");
                    if (parameter.GetProperty("in").GetString() == "path")
                    {
                        foreach (var id in Ids)
                        {
                            yield return new($"{name} {parameterName}={Show(id)}", method, Url(id: Uri.EscapeDataString(id)), body);
                        }

                        yield return new($"{name} unknown {parameterName}", method, Url(id: Guid.NewGuid().ToString()), body);
                        continue;
                    }

                    var values = AnyText.Concat(SchemaType(schema) switch
                    {
                        "integer" => Integers,
                        "boolean" => Booleans,
                        _ when schema.TryGetProperty("enum", out _) => Enums,
                        _ => [],
                    });
                    foreach (var value in values)
                    {
                        yield return new($"{name} ?{parameterName}={Show(value)}", method, Url(query: $"{parameterName}={Uri.EscapeDataString(value)}"), body);
                    }

                    yield return new($"{name} ?{parameterName} twice", method, Url(query: $"{parameterName}=1&{parameterName}=2"), body);
                }

                if (!operation.Value.TryGetProperty("requestBody", out var requestBody))
                {
                    // A body where none is expected must not matter either.
                    yield return new($"{name} with an unexpected JSON body", method, Url(), () => Json("{\"x\":1}"));
                    continue;
                }

                var content = requestBody.GetProperty("content");
                if (content.TryGetProperty("multipart/form-data", out _))
                {
                    foreach (var (label, make) in MalformedUploads())
                    {
                        yield return new($"{name} {label}", method, Url(), make);
                    }

                    continue;
                }

                foreach (var whole in WholeJsonBodies)
                {
                    yield return new($"{name} body {Show(whole)}", method, Url(), () => Json(whole));
                }

                yield return new($"{name} invalid UTF-8 body", method, Url(), () => Bytes([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "application/json"));
                yield return new($"{name} JSON as text/plain", method, Url(), () => Bytes("{}"u8.ToArray(), "text/plain"));
                yield return new($"{name} JSON as XML", method, Url(), () => Bytes("<x/>"u8.ToArray(), "application/xml"));
                yield return new($"{name} JSON as a form", method, Url(), () => new FormUrlEncodedContent([new("email", "a@b.example")]));
                yield return new($"{name} JSON with a bad charset", method, Url(), () => Bytes("{}"u8.ToArray(), "application/json; charset=nonsense"));

                var reference = content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
                var bodySchema = schemas.GetProperty(reference.Split('/')[^1]);
                foreach (var field in bodySchema.GetProperty("properties").EnumerateObject())
                {
                    foreach (var (label, value) in WrongFieldValues(field.Value))
                    {
                        var json = BaselineObject(reference);
                        json[field.Name] = value?.DeepClone();
                        var text = json.ToJsonString();
                        yield return new($"{name} {field.Name}={label}", method, Url(), () => Json(text));
                    }
                }
            }
        }
    }

    private static string? SchemaType(JsonElement schema) => schema.TryGetProperty("type", out var type) ? type.GetString() : null;

    private static Func<HttpContent?> BaselineBody(JsonElement operation, JsonElement schemas)
    {
        _ = schemas;
        if (!operation.TryGetProperty("requestBody", out var body))
        {
            return () => null;
        }

        var content = body.GetProperty("content");
        if (content.TryGetProperty("multipart/form-data", out _))
        {
            return () => BatchesApiTests.FileForm(Encoding.UTF8.GetBytes(Csv), "fuzz.csv");
        }

        var reference = content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var text = BaselineObject(reference).ToJsonString();
        return () => Json(text);
    }

    /// <summary>A valid body to spoil one field of at a time.</summary>
    private static JsonObject BaselineObject(string reference) => reference.Split('/')[^1] switch
    {
        "SingleInvitationRequest" => new JsonObject { ["email"] = $"fuzz.{Guid.NewGuid():N}@partner.example", ["displayName"] = "Fuzz" },
        "AccessRequestCreate" => new JsonObject
        {
            ["justification"] = "Fuzz",
            ["partners"] = new JsonArray(new JsonObject { ["email"] = $"fuzz.{Guid.NewGuid():N}@partner.example", ["displayName"] = "Fuzz" }),
        },
        "AccessDecisionRequest" => new JsonObject { ["comment"] = "Fuzz" },
        _ => [],
    };

    private static IEnumerable<(string Label, JsonNode? Value)> WrongFieldValues(JsonElement schema)
    {
        yield return ("null", null);
        yield return ("0", JsonValue.Create(0));
        yield return ("-1", JsonValue.Create(-1));
        yield return ("1e308", JsonNode.Parse("1e308"));
        yield return ("true", JsonValue.Create(true));
        yield return ("{}", new JsonObject());
        yield return ("[]", new JsonArray());
        yield return ("[null]", new JsonArray((JsonNode?)null));
        yield return ("[1]", new JsonArray(1));
        yield return ("[[]]", new JsonArray(new JsonArray()));
        yield return ("\"\"", JsonValue.Create(""));
        yield return ("\"Bogus\"", JsonValue.Create("Bogus"));
        yield return ("\"\\u0000\"", JsonValue.Create("\0"));
        yield return ("\"🙂\"", JsonValue.Create("🙂"));
        yield return ("100k chars", JsonValue.Create(new string('x', 100_000)));
        yield return ("[\"Bogus\"]", new JsonArray("Bogus"));
        yield return ("[\"\\u0000\"]", new JsonArray("\0"));
        yield return ("2000 ids", new JsonArray([.. Enumerable.Range(0, 2000).Select(_ => (JsonNode?)JsonValue.Create(Guid.NewGuid().ToString()))]));
        if (SchemaType(schema) == "string")
        {
            yield return ("a line break and a tab", JsonValue.Create("a\r\nb\tc"));
            yield return ("a formula", JsonValue.Create("=HYPERLINK(\"http://evil\")"));
        }
    }

    private static IEnumerable<(string Label, Func<HttpContent?> Make)> MalformedUploads()
    {
        const string Part = "Content-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\n";
        yield return ("no body", () => null);
        yield return ("raw CSV as multipart without boundary", () => Bytes(Encoding.UTF8.GetBytes(Csv), "multipart/form-data"));
        yield return ("raw CSV with a boundary it does not use", () => Bytes(Encoding.UTF8.GetBytes(Csv), "multipart/form-data; boundary=zzz"));
        yield return ("empty boundary", () => Bytes(Encoding.UTF8.GetBytes(Csv), "multipart/form-data; boundary="));
        yield return ("boundary of 200 chars", () => Bytes(Encoding.UTF8.GetBytes(Csv), "multipart/form-data; boundary=" + new string('b', 200)));
        yield return ("truncated part", () => Bytes(Encoding.UTF8.GetBytes("--b\r\n" + Part + Csv[..20]), "multipart/form-data; boundary=b"));
        yield return ("truncated headers", () => Bytes(Encoding.UTF8.GetBytes("--b\r\nContent-Dispo"), "multipart/form-data; boundary=b"));
        yield return ("part without headers", () => Bytes(Encoding.UTF8.GetBytes("--b\r\n\r\nx\r\n--b--\r\n"), "multipart/form-data; boundary=b"));
        yield return ("closing boundary only", () => Bytes(Encoding.UTF8.GetBytes("--b--\r\n"), "multipart/form-data; boundary=b"));
        yield return ("header line of 20000 chars", () => Bytes(Encoding.UTF8.GetBytes("--b\r\nX: " + new string('h', 20_000) + "\r\n\r\nx\r\n--b--\r\n"), "multipart/form-data; boundary=b"));
        yield return ("file field as text", () => new MultipartFormDataContent { { new StringContent(Csv), "file" } });
        yield return ("no file field", () => new MultipartFormDataContent { { new StringContent("x"), "other" } });
        yield return ("file under another name", () => Rename(BatchesApiTests.FileForm(Encoding.UTF8.GetBytes(Csv)), "upload"));
        yield return ("empty file", () => BatchesApiTests.FileForm([]));
        yield return ("binary garbage", () => BatchesApiTests.FileForm([0x00, 0xFF, 0xFE, 0x00, 0x12, 0x80, 0x81]));
        yield return ("file name with NUL", () => Bytes(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\0b.csv\"\r\n\r\n" + Csv + "\r\n--b--\r\n"), "multipart/form-data; boundary=b"));
        yield return ("file name of 5000 chars", () => BatchesApiTests.FileForm(Encoding.UTF8.GetBytes(Csv), new string('n', 5000) + ".csv"));
        yield return ("file name that is a path", () => BatchesApiTests.FileForm(Encoding.UTF8.GetBytes(Csv), "../../etc/passwd"));
        yield return ("file without a file name", () => Bytes(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n" + Csv + "\r\n--b--\r\n"), "multipart/form-data; boundary=b"));
        yield return ("two file fields", () => new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(Csv)), "file", "a.csv" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(Csv)), "file", "b.csv" },
        });
        yield return ("a url-encoded form", () => new FormUrlEncodedContent([new("file", Csv)]));
        yield return ("a JSON body", () => Json("{\"file\":\"x\"}"));
        yield return ("raw CSV as text/csv", () => Bytes(Encoding.UTF8.GetBytes(Csv), "text/csv"));
        yield return ("no Content-Type", () => new ByteArrayContent(Encoding.UTF8.GetBytes(Csv)));
    }

    private static MultipartFormDataContent Rename(MultipartFormDataContent form, string field)
    {
        foreach (var part in form)
        {
            part.Headers.ContentDisposition!.Name = field;
        }

        return form;
    }

    private static ByteArrayContent Json(string text) => Bytes(Encoding.UTF8.GetBytes(text), "application/json");

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Show(string value) =>
        value.Length > 24 ? $"<{value.Length} chars>" : JsonSerializer.Serialize(value);
}
