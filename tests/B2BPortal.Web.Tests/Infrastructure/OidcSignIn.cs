using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// Walks the OpenID Connect authorization-code flow as a browser would: portal challenge → the simulated tenant's
/// sign-in page → pick a person → form_post (or query) back to the portal's /signin-oidc → auth cookie.
/// </summary>
public static class OidcSignIn
{
    public static async Task RunAsync(HttpClient portal, string userPrincipalName)
    {
        var challenge = await portal.GetAsync("/Account/SignIn?returnUrl=/");
        var authorize = challenge.Headers.Location ?? throw new InvalidOperationException($"The portal did not redirect to sign-in ({(int)challenge.StatusCode}).");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });
        var signInPage = await browser.GetAsync(authorize);
        signInPage.EnsureSuccessStatusCode();
        var document = await Parse(signInPage);
        var form = document.Forms.FirstOrDefault(f => f.TextContent.Contains(userPrincipalName, StringComparison.OrdinalIgnoreCase)
                || f.QuerySelectorAll("button").Any(b => (b.GetAttribute("value") ?? "").Contains(userPrincipalName, StringComparison.OrdinalIgnoreCase)))
            ?? throw new InvalidOperationException($"The sign-in page lists no {userPrincipalName}.");
        var button = form.QuerySelectorAll<IHtmlButtonElement>("button").FirstOrDefault(b => b.TextContent.Contains(userPrincipalName, StringComparison.OrdinalIgnoreCase)
            || (b.Value ?? "").Contains(userPrincipalName, StringComparison.OrdinalIgnoreCase)) ?? form.QuerySelector<IHtmlButtonElement>("button");
        var answer = await Submit(browser, new Uri(authorize, form.GetAttribute("action") ?? authorize.ToString()), form, button);

        // The tenant answers with an auto-submitting form_post page or a redirect carrying the code.
        HttpResponseMessage callback;
        if (answer.Headers.Location is { } location)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(authorize, location.OriginalString);
            callback = await portal.GetAsync(target.PathAndQuery);
        }
        else
        {
            answer.EnsureSuccessStatusCode();
            var post = (await Parse(answer)).Forms.First();
            var action = new Uri(post.GetAttribute("action")!);
            callback = await portal.PostAsync(action.PathAndQuery, new FormUrlEncodedContent(Fields(post, null)));
        }

        if ((int)callback.StatusCode is not (302 or 303) || callback.Headers.Location?.ToString() is "/Account/Denied")
        {
            throw new InvalidOperationException($"Sign-in callback answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<IHtmlDocument> Parse(HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    private static Task<HttpResponseMessage> Submit(HttpClient client, Uri action, IHtmlFormElement form, IHtmlButtonElement? button) =>
        string.Equals(form.Method, "get", StringComparison.OrdinalIgnoreCase)
            ? client.GetAsync(new UriBuilder(action) { Query = string.Join('&', Fields(form, button).Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")) }.Uri)
            : client.PostAsync(action, new FormUrlEncodedContent(Fields(form, button)));

    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form, IHtmlButtonElement? button)
    {
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && i.Type is "hidden" or "text")
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value ?? ""))
            .ToList();
        if (button is { Name: { Length: > 0 } name })
        {
            fields.Add(new(name, button.Value ?? ""));
        }

        return fields;
    }
}
