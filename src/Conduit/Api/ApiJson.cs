using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Api;

/// <summary>One JSON shape for the whole API: camelCase names, enums as lower-case words, nulls left out.</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
