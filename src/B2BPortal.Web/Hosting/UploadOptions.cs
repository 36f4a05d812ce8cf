namespace B2BPortal.Web.Hosting;

/// <summary>Upload limits (section <c>Portal:Upload</c>), stated on the Upload page.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Portal:Upload";

    /// <summary>Room for multipart boundaries and form fields around the file.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    /// <summary>Largest file accepted; a request declaring more is refused with 413 before its body is read.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Portal:Upload:MaxFileBytes must be a positive number of bytes.")]
    public long MaxFileBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Most data rows in one file (the 2016 service's 2,000 was its own limit, not the admins').</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Portal:Upload:MaxRows must be a positive number of rows.")]
    public int MaxRows { get; set; } = 50_000;
}
