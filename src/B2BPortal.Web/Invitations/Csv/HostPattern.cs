namespace B2BPortal.Web.Invitations.Csv;

/// <summary>An entry of a host or domain list in <c>Portal:Policy</c>: a name, exactly, or <c>*.name</c> for its subdomains.</summary>
internal static class HostPattern
{
    public static bool Matches(string entry, string host) =>
        entry.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(entry, host, StringComparison.OrdinalIgnoreCase);
}
