using Microsoft.Playwright;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// Moving through a page with the Tab key as a keyboard user does, checking on the way that every element that takes
/// focus shows it (an outline or Bootstrap's focus shadow), so "focus is visible" is tested wherever a test tabs.
/// </summary>
internal static class KeyboardFocus
{
    private const string LookScript = """
        selector => {
            const e = document.activeElement;
            if (!e || e === document.body) { return JSON.stringify({ what: 'body', matches: false, visible: false }); }
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
            const r = e.getBoundingClientRect();
            const what = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40) + '"';
            return JSON.stringify({ what, matches: e.matches(selector), visible: (outline || shadow) && r.width > 0 && r.height > 0 });
        }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Focus(string What, bool Matches, bool Visible);

    /// <summary>
    /// Presses Tab until the focused element matches <paramref name="selector"/>; fails if it never does within
    /// <paramref name="maxPresses"/> presses, or if any element on the way shows no focus indicator.
    /// </summary>
    public static async Task TabToAsync(IPage page, string selector, int maxPresses = 60)
    {
        var path = new List<string>();
        for (var press = 0; press < maxPresses; press++)
        {
            await page.PressBoundedAsync("Tab");
            var focus = await LookAsync(page, selector);
            path.Add(focus.What);
            Assert.True(focus.Visible, $"Focus is not visible on {focus.What} (Tab path: {string.Join(" → ", path)}).");
            if (focus.Matches)
            {
                return;
            }
        }

        Assert.Fail($"{maxPresses} presses of Tab never reached {selector}. Tab path: {string.Join(" → ", path)}");
    }

    /// <summary>
    /// Fails unless the focused element comes to match <paramref name="selector"/> within five seconds. It waits
    /// because the browser applies <c>autofocus</c> in a rendering step after the page's text is already visible
    /// (a loaded CI machine showed the outcome text while focus was still on body).
    /// </summary>
    public static Task AssertFocusedAsync(IPage page, string selector, string because) =>
        Eventually.Until(
            () => LookAsync(page, selector),
            focus => focus.Matches,
            $"focus is on {selector} ({because})",
            TimeSpan.FromSeconds(5),
            focus => $"focus on {focus.What}");

    private static async Task<Focus> LookAsync(IPage page, string selector) =>
        JsonSerializer.Deserialize<Focus>(await page.EvaluateBoundedAsync<string>(LookScript, selector), Json)!;
}
