using System.Net.Http.Headers;
using System.Text.Json;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Tests.DicomWeb;

/// <summary>The client half of the tests: STOW-RS bodies, WADO-RS multipart parsing, DICOM JSON reading.</summary>
internal static class DicomWebClient
{
    /// <summary>A STOW-RS body (PS3.18 §10.5.1.2): one application/dicom part per byte array.</summary>
    public static MultipartContent StowBody(IEnumerable<byte[]> parts)
    {
        var body = new MultipartContent("related", "conduit-test-" + Guid.NewGuid().ToString("N"));
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var part in parts)
        {
            var content = new ByteArrayContent(part);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            body.Add(content);
        }
        return body;
    }

    /// <summary>The parts of a multipart/related response, in order.</summary>
    public static async Task<List<byte[]>> ReadPartsAsync(HttpResponseMessage response)
    {
        var contentType = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/related", contentType.MediaType);
        Assert.Equal("\"application/dicom\"", contentType.Parameters.Single(p => p.Name == "type").Value);
        var boundary = contentType.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        return await DicomParts.ReadAsync(boundary, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The first value of an attribute in a DICOM JSON object (PS3.18 §F.2), or null.</summary>
    public static JsonElement? Value(JsonElement dataset, string tag) =>
        dataset.TryGetProperty(tag, out var attribute) && attribute.TryGetProperty("Value", out var values) && values.GetArrayLength() > 0
            ? values[0]
            : null;

    public static string? Text(JsonElement dataset, string tag) => Value(dataset, tag)?.ValueKind == JsonValueKind.String
        ? Value(dataset, tag)!.Value.GetString()
        : Value(dataset, tag)?.ToString();

    /// <summary>The items of a sequence attribute, empty when absent.</summary>
    public static IReadOnlyList<JsonElement> Items(JsonElement dataset, string tag) =>
        dataset.TryGetProperty(tag, out var attribute) && attribute.TryGetProperty("Value", out var values)
            ? values.EnumerateArray().ToList()
            : [];
}
