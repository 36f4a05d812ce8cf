using System.Globalization;
using System.Text.Json.Nodes;

namespace B2BPortal.Simulator.Graph;

/// <summary>
/// How one Graph entity type looks in JSON: its properties (for $select and $filter) and the ones returned
/// when no $select is given: <paramref name="defaultSelect"/> in that order, or, when null, all of them in the order listed.
/// </summary>
internal sealed class EntityShape<T>(
    string typeName, OrderedDictionary<string, Func<T, object?>> properties, string[]? defaultSelect = null)
{
    private readonly string[] _defaultSelect = defaultSelect ?? [.. properties.Keys];

    public string TypeName => typeName;

    public IReadOnlySet<string> PropertyNames { get; } = properties.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Validates a $select value; returns the property names in Graph's casing, or an error.</summary>
    public (string[]? Selected, string? Error) Select(string? select)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            return (null, null);
        }

        var result = new List<string>();
        foreach (var name in select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = PropertyNames.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                return (null, $"Could not find a property named '{name}' on type 'microsoft.graph.{typeName}'.");
            }

            if (!result.Contains(match))
            {
                result.Add(match);
            }
        }

        return ([.. result], null);
    }

    public Func<string, object?> Getter(T item) =>
        name => properties.TryGetValue(name, out var get) ? get(item) : null;

    public JsonObject ToJson(T item, string[]? selected, bool withType = false)
    {
        var json = new JsonObject();
        if (withType)
        {
            json["@odata.type"] = $"#microsoft.graph.{typeName}";
        }

        foreach (var name in selected ?? _defaultSelect)
        {
            json[name] = ToNode(properties[name](item));
        }

        return json;
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        DateTimeOffset d => JsonValue.Create(d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        JsonNode node => node.DeepClone(),
        IEnumerable<string> items => new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
