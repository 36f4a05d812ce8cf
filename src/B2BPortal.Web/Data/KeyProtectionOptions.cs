namespace B2BPortal.Web.Data;

/// <summary>
/// Section <c>DataProtection</c>: the certificate that encrypts the data-protection keys kept in the portal's database.
/// The keys encrypt the admins' refresh tokens in the same database, so a copy of the database alone must not be enough.
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PFX kept outside the database; unset leaves the keys unprotected (a warning at start-up outside Development).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX's password, from a vault or the environment, never from a committed file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The setting's full name, as the start-up warning and the README name it.</summary>
    public static string Setting(string property) => $"{SectionName}:{property}";
}
