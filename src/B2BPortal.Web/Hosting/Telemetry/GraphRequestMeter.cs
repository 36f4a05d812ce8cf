namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>
/// Measures every Graph HTTP request where it leaves the SDK's pipeline (innermost handler), so each gateway method
/// is covered without being edited and a request the SDK repeats (redirect) counts each time it goes out.
/// </summary>
public sealed class GraphRequestMeter(PortalMetrics metrics, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        int? status = null;
        string? error = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            return response;
        }
        catch (Exception ex)
        {
            error = ex.GetType().FullName;
            throw;
        }
        finally
        {
            metrics.GraphRequest(GraphOperation.Of(request.Method.Method, request.RequestUri), status, error, time.GetElapsedTime(started));
        }
    }
}
