using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace B2BPortal.Simulator.Pages;

/// <summary>Small HTML pages rendered as strings (the host may not have Razor); every value is HTML-encoded.</summary>
internal static class Html
{
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static IResult Page(string title, string body, int statusCode = 200, string? bodyAttributes = null)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(title))
            .Append("</title><style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}")
            .Append("form{margin:.5rem 0}button{padding:.5rem 1rem;font-size:1rem}table{border-collapse:collapse}")
            .Append("td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head><body")
            .Append(bodyAttributes is null ? string.Empty : " " + bodyAttributes)
            .Append("><p><small>Simulated Entra tenant (development only)</small></p><h1>")
            .Append(E(title))
            .Append("</h1>")
            .Append(body)
            .Append("</body></html>")
            .ToString();
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static string Hidden(string name, string? value) =>
        $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";
}
