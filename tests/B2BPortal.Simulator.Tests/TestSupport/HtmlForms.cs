using System.Net;
using System.Text.RegularExpressions;

namespace B2BPortal.Simulator.Tests.TestSupport;

/// <summary>Reads the simulator's HTML forms the way a browser would submit them.</summary>
internal static partial class HtmlForms
{
    public static (string Action, Dictionary<string, string> Fields) Find(string html, string containing)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            if (!form.Value.Contains(WebUtility.HtmlEncode(containing), StringComparison.Ordinal)
                && !form.Value.Contains(containing, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = HiddenPattern().Matches(form.Groups["inner"].Value)
                .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            return (WebUtility.HtmlDecode(form.Groups["action"].Value), fields);
        }

        throw new InvalidOperationException($"No form containing '{containing}' in: {html}");
    }

    [GeneratedRegex("<form method=\"post\"(?: action=\"(?<action>[^\"]*)\")?>(?<inner>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenPattern();
}
