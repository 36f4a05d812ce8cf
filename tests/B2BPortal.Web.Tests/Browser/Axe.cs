using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) over a page as it is now, with the WCAG 2.0 and 2.1 level A and AA rules the
/// portal promises (issue 16). A violation fails the test with every rule's id, impact and the selectors of the
/// elements it found, so the message alone says what to fix. Every check is also written, one line each, to
/// axe.log beside the screenshots: the record of which pages and states were checked and what axe found.
/// </summary>
internal static class Axe
{
    /// <summary>The axe tags of WCAG 2.0 and 2.1, levels A and AA.</summary>
    public static readonly IReadOnlyList<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        ResultTypes = [ResultType.Violations],
    };

    public static string LogPath { get; } = Path.Combine(BrowserFixture.ScreenshotDirectory, "axe.log");

    /// <summary>axe runs in the page with no timeout of its own; a full page on a loaded machine takes a few seconds.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs axe on <paramref name="page"/> and fails with an actionable list if any WCAG A/AA rule is violated.</summary>
    /// <param name="state">What is on screen, for the message and the log: "dashboard, tenant paused".</param>
    public static async Task AssertNoViolationsAsync(IPage page, string state)
    {
        var result = await page.RunAxe(Options).Within(RunLimit, $"axe did not finish its check of {state} ({page.Url})");
        var violations = result.Violations ?? [];
        var elements = violations.Sum(v => v.Nodes?.Length ?? 0);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:O}\t{state}\t{page.Url}\t{violations.Length} violations\t{elements} elements\t{string.Join(",", violations.Select(v => v.Id))}");
        await File.AppendAllTextAsync(LogPath, line + Environment.NewLine);
        if (violations.Length == 0)
        {
            return;
        }

        Assert.Fail(Describe(state, page.Url, violations));
    }

    /// <summary>"rule (impact): help" and under it each element's selector and what axe says is wrong with it.</summary>
    public static string Describe(string state, string url, IEnumerable<AxeResultItem> violations)
    {
        var message = new StringBuilder().Append(CultureInfo.InvariantCulture, $"axe found WCAG 2.1 A/AA violations on {state} ({url}):");
        foreach (var violation in violations)
        {
            message.AppendLine().Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact ?? "no impact"}): {violation.Help} <{violation.HelpUrl}>");
            foreach (var node in violation.Nodes ?? [])
            {
                message.AppendLine().Append(CultureInfo.InvariantCulture, $"    {node.Target}");
                var why = string.Join(" ", (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)));
                if (why.Length > 0)
                {
                    message.Append(" — ").Append(why);
                }
            }
        }

        return message.ToString();
    }
}
