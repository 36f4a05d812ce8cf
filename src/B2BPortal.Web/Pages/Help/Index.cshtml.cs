using B2BPortal.Web.Delivery.Email;

namespace B2BPortal.Web.Pages.Help;

public sealed class IndexModel(
    IOptions<UploadOptions> upload,
    IOptions<PortalOptions> options,
    InvitationEmailComposer composer,
    InvitationEmailRenderer renderer) : PageModel
{
    public UploadOptions Limits => upload.Value;

    /// <summary>The portal's invitation email in one language, as a guest would see it (a sample row with every column).</summary>
    public async Task<IActionResult> OnGetEmailPreviewAsync(string? language)
    {
        var html = await renderer.RenderHtmlAsync(composer.Sample(language, User.ActorName()));
        return Content(html, "text/html; charset=utf-8");
    }

    public int StaleAfterDays => options.Value.StaleAfterDays;
}
