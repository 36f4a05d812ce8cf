using B2BPortal.Web.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace B2BPortal.Web.Pages.Help;

public sealed class IndexModel(IOptions<UploadOptions> upload, IConfiguration configuration) : PageModel
{
    public UploadOptions Limits => upload.Value;

    public int StaleAfterDays => Math.Max(1, configuration.GetValue("Portal:StaleAfterDays", 14));
}
