using B2BPortal.Web.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace B2BPortal.Web.Pages.Help;

public sealed class IndexModel(IOptions<UploadOptions> upload) : PageModel
{
    public UploadOptions Limits => upload.Value;
}
