namespace B2BPortal.Web.Hosting;

/// <summary>
/// Data the portal ships inside its assembly (the email's translations, failure advice, the API's descriptions): a JSON
/// file embedded under its owner type's full name, so that a copied build cannot lose it and a typo fails at start-up.
/// </summary>
internal static class EmbeddedData
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads <c>{owner's full name}.json</c>; <paramref name="what"/> names it in the error when it is missing or empty.</summary>
    public static T Read<T>(Type owner, string what)
    {
        using var stream = owner.Assembly.GetManifestResourceStream(owner.FullName + ".json")
            ?? throw new InvalidOperationException($"{what} ({owner.FullName}.json) is not embedded in the assembly.");
        return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidOperationException($"{what} ({owner.FullName}.json) is empty.");
    }
}
