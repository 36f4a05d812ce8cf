namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// The whole file is refused (empty, not text, no data rows, a required column missing, too many rows).
/// <see cref="Detail"/> is written for the admin: what is wrong and what to do; it never quotes cell values.
/// </summary>
public sealed class InvitationFileRejectedException : Exception
{
    public InvitationFileRejectedException()
        : this("The file cannot be read as an invitation CSV file.")
    {
    }

    public InvitationFileRejectedException(string detail)
        : this(detail, 400, null)
    {
    }

    public InvitationFileRejectedException(string detail, Exception? innerException)
        : this(detail, 400, innerException)
    {
    }

    public InvitationFileRejectedException(string detail, int statusCode, Exception? innerException = null)
        : base(detail, innerException)
    {
        Detail = detail;
        StatusCode = statusCode;
    }

    /// <summary>A sentence for the admin (problem details' <c>detail</c>).</summary>
    public string Detail { get; }

    /// <summary>The HTTP status the API answers with (400 for every rejection this reader makes).</summary>
    public int StatusCode { get; }
}
