using System.Net;
using System.Text.RegularExpressions;

namespace B2BPortal.Simulator.Tenant;

/// <summary>A message handed to Graph's sendMail, already read from its JSON.</summary>
internal sealed partial record OutgoingMail(
    string Subject,
    bool IsHtml,
    string Content,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    string? From)
{
    public IEnumerable<string> Recipients => To.Concat(Cc).Concat(Bcc);

    /// <summary>What a mail client shows: the HTML as sent, or the text as Exchange wraps it.</summary>
    public string Html => IsHtml
        ? Content
        : $"<html><body><div>{WebUtility.HtmlEncode(Content).ReplaceLineEndings("<br>")}</div></body></html>";

    /// <summary>The readable text: for HTML, tags dropped and entities decoded (enough to check what a person reads).</summary>
    public string Text
    {
        get
        {
            if (!IsHtml)
            {
                return Content;
            }

            var text = HiddenElements().Replace(Content, string.Empty);
            text = BlockBreaks().Replace(text, "\n");
            text = Tags().Replace(text, string.Empty);
            text = WebUtility.HtmlDecode(text);
            return BlankLines().Replace(text, "\n\n").Trim();
        }
    }

    /// <summary>The language the HTML declares (<c>&lt;html lang="…"&gt;</c>); null for text or when it names none.</summary>
    public string? Language => IsHtml && HtmlLang().Match(Content) is { Success: true } match ? match.Groups["lang"].Value : null;

    /// <summary>Redeem links of a simulated tenant in the content: the guest can follow them as in Microsoft's email.</summary>
    public IEnumerable<(string Url, string Token)> RedeemLinks() =>
        RedeemLink().Matches(Content).Select(m => (WebUtility.HtmlDecode(m.Value), m.Groups["token"].Value));

    [GeneratedRegex("<(style|script|head)\\b.*?</\\1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HiddenElements();

    [GeneratedRegex("<br\\s*/?>|</(p|div|h[1-6]|li|tr|table)>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockBreaks();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\n[ \\t]*(\\n[ \\t]*)+")]
    private static partial Regex BlankLines();

    [GeneratedRegex("<html\\b[^>]*\\blang\\s*=\\s*[\"']?(?<lang>[A-Za-z0-9-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLang();

    [GeneratedRegex("https?://[^\\s\"'<>]+/_tenant/redeem/(?<token>[0-9a-fA-F]{32})")]
    private static partial Regex RedeemLink();
}
