namespace B2BPortal.Web.Invitations.Csv;

/// <summary>Which rules a row is held to beyond its format.</summary>
public enum RowRules
{
    /// <summary>A row of an uploaded file: the format's required columns, messages start with "Row N".</summary>
    File,

    /// <summary>
    /// The single-invitation form and <c>POST /api/v1/invitations</c>: Legacy rules with the contact-us URL optional;
    /// messages name the field without a row number.
    /// </summary>
    SingleInvitation,
}
