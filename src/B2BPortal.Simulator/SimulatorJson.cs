using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace B2BPortal.Simulator;

/// <summary>The simulator's own JSON settings, independent of whatever the hosting portal configures.</summary>
internal static class SimulatorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // Readable URLs in bodies (no \u0026); these are JSON responses, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
