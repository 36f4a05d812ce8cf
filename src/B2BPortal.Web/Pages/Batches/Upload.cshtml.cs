namespace B2BPortal.Web.Pages.Batches;

/// <summary>Upload a CSV (<see cref="UploadBatch"/>); it is read and validated at once and lands on the review page.</summary>
public sealed class UploadModel(UploadBatch upload, IOptions<UploadOptions> options) : PageModel
{
    public UploadOptions Limits => options.Value;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The file-level problem (not an invitation list), shown above the form.</summary>
    public string? Rejection { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Upload is null || Upload.Length == 0)
        {
            Rejection = Upload is null
                ? "Choose a CSV file to upload."
                : $"'{Batch.SafeFileName(Upload.FileName)}' is empty. Export the list again from your spreadsheet as CSV and upload that file.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            await using var stream = Upload.OpenReadStream();
            var batch = await upload.HandleAsync(new UploadBatch.Command(stream, Upload.FileName, User.ActorName(), Submit: false), ct);
            return RedirectToPage("/Batches/Details", new { id = batch.Id });
        }
        catch (InvitationFileRejectedException rejected)
        {
            Rejection = rejected.Detail;
            Response.StatusCode = rejected.StatusCode;
            return Page();
        }
    }
}
