using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace B2BPortal.Web.Delivery.Email;

/// <summary>Renders <see cref="InvitationEmailBody"/> to an HTML string outside any request (the sender, previews).</summary>
public sealed class InvitationEmailRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public async Task<string> RenderHtmlAsync(InvitationEmailModel model)
    {
        ArgumentNullException.ThrowIfNull(model);

        // The renderer asks for scoped component services; a scope of its own keeps it usable from singletons and pages alike.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<InvitationEmailBody>(
                ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(InvitationEmailBody.Model)] = model }));
            return output.ToHtmlString();
        });
    }
}
