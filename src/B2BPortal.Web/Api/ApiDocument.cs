using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace B2BPortal.Web.Api;

/// <summary>
/// /openapi/v1.json, generated from the endpoints' metadata (operation ids, summaries, declared answers) and finished
/// here with transformers: what a client generator needs and the code cannot say by itself — the security schemes, the
/// 401/403 every call can get, the upload's form, the allowed values of query parameters, and an example per answer.
/// Only API v1 is in it (no sign-in pages, no simulated tenant).
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public const string AntiforgeryScheme = "antiforgery";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Batches"] = "CSV uploads, their review, their rows and their results.",
        ["Invitations"] = "One invitation at a time, without a file.",
        ["Delivery"] = "The tenant-wide sending state (throttling, Graph's abuse block).",
        ["AccessRequests"] = "Members ask for partners to be invited; approvers approve (the invitations are sent) or reject.",
    };

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            // 3.0: what every generator reads (3.1's type arrays are not yet understood everywhere).
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, context, _) =>
            {
                DescribeDocument(document, context);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
                DescribeOperation(operation, context.Description.HttpMethod ?? "GET", json, context.Description.RelativePath ?? "");
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                DescribeSchema(schema, context.JsonTypeInfo.Type, context.JsonPropertyInfo);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    private static void DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        document.Info = new OpenApiInfo
        {
            Title = "B2B Portal API",
            Version = "v1",
            Description =
                "Turns partners' CSV files into Microsoft Entra ID B2B guest invitations and follows them until the guests accept. " +
                "Errors are application/problem+json whose `detail` says what to change.",
            Contact = new OpenApiContact { Name = "The portal's operator" },
        };

        // Spectral (oas3-server-trailing-slash): the request's base address without its trailing slash.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description =
                    "An Entra ID access token for the portal's API, e.g. from the client-credentials flow with the scope " +
                    "`api://<portal client id>/.default`; the calling application needs the portal's app role `Invitations.Send`.",
            },
            [CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = Hosting.AuthenticationSetup.AuthCookieName,
                Description =
                    "The alternative for a browser: the sign-in cookie of an admin who signed in to the portal (a directory role the " +
                    "portal accepts). Calls other than GET then also need the antiforgery token in the `X-CSRF-TOKEN` header (with its " +
                    "cookie, `B2BPortal.Antiforgery`), as the portal's pages send it.",
            },
            [AntiforgeryScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-CSRF-TOKEN",
                Description = "With the cookie only: the antiforgery token the portal's pages carry, on every call other than GET.",
            },
        };

        // Spectral (operation-tag-defined): every tag the operations use is declared, with a description.
        var used = document.Paths?.Values
            .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal) ?? [];
        document.Tags = new HashSet<OpenApiTag>(
            used.Order(StringComparer.Ordinal).Select(name => new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name, name) }));

        var requirements = new List<OpenApiSecurityRequirement>
        {
            new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new() { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
        };
        var unsafeRequirements = new List<OpenApiSecurityRequirement>
        {
            new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new()
            {
                [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [],
                [new OpenApiSecuritySchemeReference(AntiforgeryScheme, document)] = [],
            },
        };
        foreach (var path in document.Paths?.Values.AsEnumerable() ?? [])
        {
            foreach (var (method, operation) in path.Operations ?? new Dictionary<HttpMethod, OpenApiOperation>())
            {
                operation.Security = method == HttpMethod.Get ? requirements : unsafeRequirements;
            }
        }

        _ = context;
    }

    private static void DescribeOperation(OpenApiOperation operation, string method, JsonSerializerOptions json, string path)
    {
        var accessRequests = path.StartsWith("api/v1/access-requests", StringComparison.OrdinalIgnoreCase);
        operation.Responses ??= [];
        if (!string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            // A cookie call without a valid antiforgery token is a 400 on every unsafe operation.
            AddProblem(operation, StatusCodes.Status400BadRequest, "The request is malformed: the `detail` says what to change.");
        }

        AddProblem(operation, StatusCodes.Status401Unauthorized, "No valid credentials: send a bearer token (or the sign-in cookie).");
        AddProblem(operation, StatusCodes.Status403Forbidden, "The caller lacks the app role Invitations.Send (or an accepted directory role).");
        AddTooManyRequests(operation);

        if (operation.OperationId is "ResendBatchInvitations" or "ApproveAccessRequest" && operation.RequestBody is OpenApiRequestBody optional)
        {
            // An optional body is "null or …" to the generator; say it plainly: optional, and the one schema.
            optional.Required = false;
            optional.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchemaReference(operation.OperationId == "ApproveAccessRequest" ? nameof(AccessDecisionRequest) : nameof(ResendRequest)),
                },
            };
        }

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { Schema: OpenApiSchema schema } described)
            {
                DescribeParameter(described, schema, accessRequests);
            }
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse answer)
            {
                continue;
            }

            answer.Description = status switch
            {
                "200" when operation.OperationId == "DownloadBatchResults" => "The rows as CSV.",
                "200" => "OK.",
                "201" when accessRequests => "Created; `Location` names the new access request.",
                "201" => "Created; `Location` names the new batch.",
                "202" => "Accepted; the work goes on in the background.",
                "204" => "Done; no content.",
                _ => answer.Description,
            };
            foreach (var (contentType, media) in answer.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                media.Example ??= Example(operation.OperationId, status, contentType, json);
            }
        }
    }

    /// <summary>Every API call counts against the client's rate limit (Portal:RateLimits); an upload also against its concurrent uploads.</summary>
    private static void AddTooManyRequests(OpenApiOperation operation)
    {
        AddProblem(operation, StatusCodes.Status429TooManyRequests, operation.OperationId == "UploadBatch"
            ? "Too many API calls from this client in the current window, or too many of its uploads in progress at once: wait the `Retry-After` seconds (the `detail` says when) and try again."
            : "Too many API calls from this client in the current window: wait the `Retry-After` seconds (the `detail` says when) and try again.");
        if (operation.Responses!["429"] is OpenApiResponse response)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before the next call.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
                },
            };
        }
    }

    private static void AddProblem(OpenApiOperation operation, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing))
        {
            if (existing is OpenApiResponse response)
            {
                response.Description = description;
            }

            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails)) },
            },
        };
    }

    private static void DescribeParameter(OpenApiParameter parameter, OpenApiSchema schema, bool accessRequests)
    {
        switch (parameter.Name)
        {
            case "id" when accessRequests:
                parameter.Description = "The access request's id (a GUID), as POST /api/v1/access-requests answered it.";
                break;
            case "status" when accessRequests:
                parameter.Description = "Only requests in this state.";
                schema.Enum = [JsonValue.Create("pending"), JsonValue.Create("approved"), JsonValue.Create("rejected")];
                break;
            case "id":
                parameter.Description = "The batch's id (a GUID), as POST /api/v1/batches answered it.";
                break;
            case "page":
                parameter.Description = "The page, counted from 1.";
                schema.Minimum = "1";
                schema.Maximum = BatchesApi.MaxPage.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "pageSize":
                parameter.Description = "Items per page.";
                schema.Minimum = "1";
                schema.Maximum = BatchesApi.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "status":
                parameter.Description = "Only rows in this status.";
                schema.Enum = [.. Enum.GetNames<InvitationStatus>().Select(name => (JsonNode)JsonValue.Create(name))];
                break;
            case "search":
                parameter.Description = "Only rows whose email or display name contains this text.";
                break;
            case "submit":
                parameter.Description = "false leaves the batch for review (POST …/submit sends it); default true.";
                break;
            case "email":
                parameter.Description = "Who writes the guests' email: microsoft (Microsoft's invitation) or portal (the portal's own, localized); default: the portal's setting.";
                schema.Enum = [JsonValue.Create("microsoft"), JsonValue.Create("portal")];
                break;
            default:
                break;
        }
    }

    private static void DescribeSchema(OpenApiSchema schema, Type type, System.Text.Json.Serialization.Metadata.JsonPropertyInfo? property)
    {
        if (property?.AttributeProvider?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonConverterAttribute), false)
            .OfType<System.Text.Json.Serialization.JsonConverterAttribute>().Any(a => a.ConverterType == typeof(IdListConverter)) == true)
        {
            // A custom converter leaves the schema open; on the wire it is ids in one string (an array is accepted too).
            schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
            schema.Description = "Object ids separated by spaces; a JSON array of ids is accepted too.";
        }

        if (type == typeof(SingleInvitationRequest))
        {
            // Positional records look all-required to the schema generator; only the address is required (the rest is
            // validated like a CSV row, with a 400 naming each field).
            schema.Required = new HashSet<string>(StringComparer.Ordinal) { "email" };
        }
        else if (type == typeof(AccessRequestCreate))
        {
            schema.Required = new HashSet<string>(StringComparer.Ordinal) { "justification", "partners" };
        }
        else if (type == typeof(AccessRequestPartnerInput))
        {
            schema.Required = new HashSet<string>(StringComparer.Ordinal) { "email", "displayName" };
        }
        else if (type == typeof(AccessDecisionRequest))
        {
            schema.Required = new HashSet<string>(StringComparer.Ordinal);
        }
        else if (type == typeof(ResendRequest))
        {
            schema.Required = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>An example answer, serialized with the API's own options so it has exactly the documented shape.</summary>
    private static JsonNode? Example(string? operationId, string status, string contentType, JsonSerializerOptions json)
    {
        var id = new Guid("3f2b8c1e-6d4a-4e9b-a7c5-1b2d3e4f5a6b");
        var at = new DateTime(2026, 5, 4, 9, 30, 0, DateTimeKind.Utc);
        object? value = (operationId, status) switch
        {
            (_, _) when contentType == "application/problem+json" => new ProblemDetails
            {
                Type = status == "429" ? "https://tools.ietf.org/html/rfc6585#section-4" : $"https://tools.ietf.org/html/rfc9110#section-15.5.{ProblemSection(status)}",
                Title = status == "429" ? "Too many requests." : "The request could not be processed.",
                Status = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
                Detail = ProblemExample(operationId, status),
            },
            ("UploadBatch" or "InviteGuest", "201") => new BatchCreated(id, "partners.csv", "legacy", 2, 2, 0, "Submitted"),
            ("ListBatches", "200") => new PagedResult<BatchSummary>(
                [new BatchSummary(id, "partners.csv", "legacy", "Submitted", "app:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", at, at, 2, 2, 0)], 1, 1, 20),
            ("GetBatch", "200") => new BatchDetail(
                id, "partners.csv", "legacy", "Submitted", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 120,
                "app:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", at, at, 2, 2, 0, new BatchCounts(0, 0, 1, 1, 0, 0, 0, 0), true, "microsoft", "app", null),
            ("ListBatchInvitations", "200") => new PagedResult<InvitationItem>(
                [new InvitationItem(
                    1, 2, "kim@partner.example", "Kim Lee", "Invited", [], null, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                    "https://invitations.microsoft.com/redeem/…", 1, "en-US", null, null, at, null, null, null, null, null)],
                1,
                1,
                50),
            ("SubmitBatch" or "ResendBatchInvitations", "202") => new ResendAccepted(2),
            ("CancelBatch", "202") => new BatchCancelled(3),
            ("GetDeliveryState" or "ResumeDelivery", _) => new DeliveryState("sending", null, null, null, "Sending normally."),
            ("DownloadBatchResults", "200") => ResultsExample(),
            ("CreateAccessRequest" or "CreateAccessRequestFromFile", "201") or ("GetAccessRequest" or "ApproveAccessRequest" or "RejectAccessRequest", "200") => AccessRequestExample(id, at, operationId),
            ("ListAccessRequests", "200") => new[] { AccessRequestExample(id, at, "CreateAccessRequest") },
            ("PlanGuestCleanup", "200") => CleanupPlanExample(),
            ("RunGuestCleanup", "200") => new CleanupRunView(CleanupPlanExample(), 1, 0, [], null),
            ("RestoreGuest", "200") => new GuestRestoredView(42, "kim@partner.example is restored, with the same account, groups and applications."),
            _ => null,
        };
        if (value is null)
        {
            return null;
        }

        return value is string text ? JsonValue.Create(text) : JsonSerializer.SerializeToNode(value, value.GetType(), json);
    }

    private static CleanupPlanView CleanupPlanExample() => new(
        [new CleanupActionView(42, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "kim@partner.example", "Kim Lee", "remove",
            "No sign-in for 120 days (rule: remove after 90 days without sign-in).")],
        [],
        null,
        null);

    private static AccessRequestView AccessRequestExample(Guid id, DateTime at, string? operationId)
    {
        var (status, decidedBy, comment, batch, invitation) = operationId switch
        {
            "ApproveAccessRequest" => ("Approved", "admin@contoso.onmicrosoft.com", "Approved for the Q3 project.", (Guid?)new Guid("0b7e7a4c-2f1d-4c3b-9a8e-5d6c7b8a9f01"), "Queued"),
            "RejectAccessRequest" => ("Rejected", "admin@contoso.onmicrosoft.com", "Use the partner's work address.", null, null),
            _ => ("Pending", (string?)null, (string?)null, null, (string?)null),
        };
        return new AccessRequestView(
            id, status, "employee@contoso.onmicrosoft.com", at, "Kim reviews our Q3 designs.", decidedBy, decidedBy is null ? null : at.AddHours(1),
            comment, batch, [new AccessRequestPartnerView(1, "kim@partner.example", "Kim Lee", "Fabrikam", "de", null, null, invitation)]);
    }

    private static string ResultsExample()
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Row"] = "2",
            ["Email"] = "kim@partner.example",
            ["DisplayName"] = "Kim Lee",
            ["Status"] = "Invited",
            ["UserId"] = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        };
        return string.Join(',', ResultsCsv.Header) + "\r\n" + string.Join(',', ResultsCsv.Header.Select(column => row.GetValueOrDefault(column, ""))) + "\r\n";
    }

    private static string ProblemSection(string status) => status switch
    {
        "400" => "1",
        "401" => "2",
        "403" => "4",
        "404" => "5",
        "409" => "10",
        "413" => "14",
        "415" => "16",
        _ => "1",
    };

    private static string ProblemExample(string? operationId, string status) => (operationId, status) switch
    {
        ("UploadBatch", "400") => "The request body is not a readable multipart/form-data form: its Content-Type names no usable multipart boundary. " +
            ApiEndpoints.HowToSendTheFile,
        ("UploadBatch", "413") => "The upload is 12 MB; the limit is 10 MB. Split the list into several files.",
        ("ListBatches" or "ListBatchInvitations", "400") => "pageSize must be between 1 and 200 (got 1000).",
        ("ResendBatchInvitations", "400") => "The JSON body could not be read: the value at '$.statuses[0]' has the wrong type or is not one of the allowed values.",
        ("InviteGuest", "400") => "Row 1, Email: 'no-at-sign' is not an email address.",
        ("CreateAccessRequest", "400") => "Email: 'kim@outlook.com' is a personal address at outlook.com, and this portal does not invite personal addresses (Portal:Policy:ConsumerDomains=Deny) — ask the partner for their work address.",
        ("CreateAccessRequestFromFile", "400") => "Row 3, Email: 'kim@outlook.com' is a personal address at outlook.com, and this portal does not invite personal addresses (Portal:Policy:ConsumerDomains=Deny) — ask the partner for their work address.",
        ("ListAccessRequests", "400") => "status must be pending, approved or rejected (got 'open').",
        ("GetAccessRequest" or "ApproveAccessRequest" or "RejectAccessRequest", "404") => "There is no access request 3f2b8c1e-6d4a-4e9b-a7c5-1b2d3e4f5a6b that you may see.",
        ("ApproveAccessRequest" or "RejectAccessRequest", "409") => "This request was already approved by admin@contoso.onmicrosoft.com.",
        ("RunGuestCleanup", "409") => Guests.GuestCleanup.AlreadyRunning,
        ("RestoreGuest", "409") => "That guest is not removed (restored already, or never removed by the portal).",
        ("RestoreGuest", "403") or ("RunGuestCleanup" or "PlanGuestCleanup", "403") =>
            "Guest clean-up is for Global Administrators and for applications holding the portal's app role Invitations.Send.",
        (_, "400") => "The antiforgery token is missing or invalid. Reload the page and try again.",
        (_, "401") => "Sign in first: send an access token for the portal's API (Authorization: Bearer …).",
        (_, "403") => "The caller is signed in but may not use the API: an application needs the portal's app role Invitations.Send.",
        (_, "404") => "There is no batch 3f2b8c1e-6d4a-4e9b-a7c5-1b2d3e4f5a6b.",
        (_, "409") => "Only a batch under review can be sent; this one was already sent or discarded (or does not exist).",
        (_, "415") => "Unsupported Content-Type: send other calls as application/json; see /openapi/v1.json.",
        ("UploadBatch", "429") => "This client already has 2 uploads in progress, the most the portal takes from one client at once. Retry after 10 seconds (at 09:30:10 UTC), once an upload has finished.",
        (_, "429") => "This client made 600 API calls within a minute, the most the portal takes from one client. Retry after 37 seconds (at 09:30:37 UTC).",
        _ => "See /openapi/v1.json.",
    };
}
