using Microsoft.Playwright;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// The Playwright calls the browser tests make that take no timeout (evaluating script, pressing keys, closing a
/// context), bounded by <see cref="Limit"/>: a renderer or driver that stops answering fails the test with the call
/// and the page named, instead of holding the run until CI kills it. Calls that wait for something on the page
/// (clicks, navigation, expectations) have the context's default timeout and need none of this.
/// </summary>
internal static class PageCalls
{
    /// <summary>Far more than any of these takes on a loaded machine; only a browser that stopped answering reaches it.</summary>
    public static TimeSpan Limit { get; } = TimeSpan.FromSeconds(30);

    public static Task<T> EvaluateBoundedAsync<T>(this IPage page, string expression, object? arg = null) =>
        page.EvaluateAsync<T>(expression, arg).Within(Limit, $"{page.Url} did not evaluate {Script(expression)}");

    public static Task EvaluateBoundedAsync(this IPage page, string expression) =>
        page.EvaluateAsync(expression).Within(Limit, $"{page.Url} did not evaluate {Script(expression)}");

    /// <summary>The locator's own timeout covers finding the element, not the script run on it.</summary>
    public static Task<T> EvaluateBoundedAsync<T>(this ILocator locator, string expression) =>
        locator.EvaluateAsync<T>(expression).Within(Limit, $"{locator} on {locator.Page.Url} did not evaluate {Script(expression)}");

    /// <inheritdoc cref="EvaluateBoundedAsync{T}(ILocator, string)"/>
    public static Task EvaluateBoundedAsync(this ILocator locator, string expression) =>
        locator.EvaluateAsync(expression).Within(Limit, $"{locator} on {locator.Page.Url} did not evaluate {Script(expression)}");

    public static Task PressBoundedAsync(this IPage page, string key) =>
        page.Keyboard.PressAsync(key).Within(Limit, $"{page.Url} did not take the key {key}");

    public static Task TypeBoundedAsync(this IPage page, string text) =>
        page.Keyboard.TypeAsync(text).Within(Limit, $"{page.Url} did not take the typed text \"{text}\"");

    /// <summary>Closes the page's browser context (its cookies and every page in it), as each test does at its end.</summary>
    public static Task CloseContextAsync(this IPage page) =>
        page.Context.CloseAsync().Within(Limit, $"the browser context of {page.Url} did not close");

    private static string Script(string expression) =>
        expression.Length <= 60 ? $"`{expression}`" : $"`{expression[..57]}...`";
}
