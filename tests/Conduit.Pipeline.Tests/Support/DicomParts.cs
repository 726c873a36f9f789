using Microsoft.AspNetCore.WebUtilities;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>Reads a multipart/related DICOM body (PS3.18 §8.6.1.2) back with ASP.NET's multipart reader.</summary>
public static class DicomParts
{
    /// <summary>Each part's bytes, in order; every part must be application/dicom.</summary>
    public static async Task<List<byte[]>> ReadAsync(string boundary, Stream body)
    {
        var reader = new MultipartReader(boundary, body);
        var parts = new List<byte[]>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            Assert.Equal("application/dicom", section.ContentType);
            using var copy = new MemoryStream();
            await section.Body.CopyToAsync(copy);
            parts.Add(copy.ToArray());
        }
        return parts;
    }
}
