using Microsoft.AspNetCore.Http.Features;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// Refuses a request whose declared body is larger than the upload limit with 413 before a byte of it is read,
/// and caps undeclared (chunked) bodies at the same size in the server.
/// </summary>
public sealed class RequestSizeGuard(RequestDelegate next, IOptions<UploadOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxFileBytes + UploadOptions.FormOverheadBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.Headers.Connection = "close";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The file is too large.",
                    Detail = $"The upload is {Megabytes(context.Request.ContentLength.Value)}; the limit is {Megabytes(options.Value.MaxFileBytes)}. Split the list into several files.",
                },
            });
            return;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        await next(context);
    }

    private static string Megabytes(long bytes) => bytes >= 1024 * 1024
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB");
}
