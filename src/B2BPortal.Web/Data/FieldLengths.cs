namespace B2BPortal.Web.Data;

/// <summary>
/// Column lengths of the stored model. PostgreSQL enforces them (an over-long value fails the whole upload), so
/// validation must reject or shorten longer cells before they are stored; SQLite ignores them.
/// </summary>
public static class FieldLengths
{
    /// <summary>RFC 5321: 64 local + "@" + 255 domain.</summary>
    public const int Email = 320;

    public const int DisplayName = 256;

    public const int Url = 2048;

    /// <summary>A GUID in any of its written forms, with room for a wrong value the admin typed.</summary>
    public const int Identifier = 128;

    public const int Language = 64;

    public const int CustomMessage = 4000;

    public const int FileName = 260;

    public const int Sha256Hex = 64;

    /// <summary>UPN or "app:{clientId}".</summary>
    public const int Principal = 256;

    public const int EnumName = 16;

    public const int AuditAction = 32;

    public const int AuditDetail = 4000;

    public const int LeaseOwner = 128;

    public const int TenantId = 64;

    /// <summary>Distributed-cache keys (an MSAL account id is "{objectId}.{tenantId}"; SQL Server's cache allows 449).</summary>
    public const int CacheKey = 449;
}
