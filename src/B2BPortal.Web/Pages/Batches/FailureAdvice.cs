namespace B2BPortal.Web.Pages.Batches;

/// <summary>A failed row's reason in plain words and what the admin can do about it.</summary>
public sealed record FailureAdvice(string Reason, string Action)
{
    // Graph's messages (docs/graph.md, and what the dispatcher records) mapped to advice, first match wins: the words an
    // admin reads are data, kept in FailureAdvice.json beside this file and embedded in the assembly.
    private static readonly (string[] Needles, FailureAdvice Advice)[] Known = Load();


    public static FailureAdvice For(string? lastError)
    {
        if (string.IsNullOrWhiteSpace(lastError))
        {
            return new("The invitation failed without a message from Microsoft Graph.", "Re-send the failed rows; if it fails again, check the portal's logs.");
        }

        foreach (var (needles, advice) in Known)
        {
            if (needles.Any(n => lastError.Contains(n, StringComparison.OrdinalIgnoreCase)))
            {
                return advice;
            }
        }

        return new("Microsoft Graph refused the invitation.", "Read Graph's message below, fix what it names, then re-send.");
    }

    private sealed record KnownFailure(string[] Needles, string Reason, string Action);

    private static (string[] Needles, FailureAdvice Advice)[] Load()
    {
        var known = EmbeddedData.Read<KnownFailure[]>(typeof(FailureAdvice), "The failure advice");
        return [.. known.Select(k => (k.Needles, new FailureAdvice(k.Reason, k.Action)))];
    }
}
