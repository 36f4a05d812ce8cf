using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace B2BPortal.Web.Pages.Shared;

/// <summary>Server-rendered SVG charts: no JavaScript library, no CDN, readable without scripts.</summary>
public static class SvgChart
{
    public sealed record Series(string Name, string CssClass, IReadOnlyList<int> Values);

    /// <summary>
    /// Grouped bars per day (one bar per series). <paramref name="labels"/> name the days; every 7th is printed.
    /// The figures are also in a table next to it for screen readers (the SVG is role="img" with a summary);
    /// <paramref name="describedBy"/> is the id of the element that says where that table is.
    /// </summary>
    public static IHtmlContent DailyBars(string id, string summary, IReadOnlyList<string> labels, IReadOnlyList<Series> series, string? describedBy = null)
    {
        const int Height = 180, Top = 10, Bottom = 22, Left = 36, Slot = 22;
        var width = Left + (labels.Count * Slot) + 4;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var plot = Height - Top - Bottom;
        var bar = (Slot - 4) / Math.Max(1, series.Count);
        var svg = new StringBuilder();
        var enc = HtmlEncoder.Default;
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{enc.Encode(id)}\" class=\"chart\" viewBox=\"0 0 {width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title\"{(describedBy is null ? "" : $" aria-describedby=\"{enc.Encode(describedBy)}\"")} preserveAspectRatio=\"xMinYMin meet\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{enc.Encode(summary)}</title>");
        // Axis with the maximum and zero.
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top + plot}\" x2=\"{width}\" y2=\"{Top + plot}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">{max:N0}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{Top + plot}\" text-anchor=\"end\">0</text>");
        for (var d = 0; d < labels.Count; d++)
        {
            var x0 = Left + (d * Slot) + 2;
            for (var s = 0; s < series.Count; s++)
            {
                var v = series[s].Values[d];
                var h = (int)Math.Round((double)plot * v / max);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"{series[s].CssClass}\" x=\"{x0 + (s * bar)}\" y=\"{Top + plot - h}\" width=\"{bar}\" height=\"{h}\"><title>{enc.Encode(labels[d])}: {v:N0} {enc.Encode(series[s].Name)}</title></rect>");
            }

            if (d % 7 == labels.Count % 7 || d == labels.Count - 1)
            {
                // The last label ends at its bar so it is not clipped at the right edge.
                var anchor = d == labels.Count - 1 ? $"x=\"{x0 + Slot - 4}\" text-anchor=\"end\"" : $"x=\"{x0}\"";
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" {anchor} y=\"{Height - 6}\">{enc.Encode(labels[d])}</text>");
            }
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
