using System.Globalization;
using System.Text.Json.Nodes;

namespace Conduit.Pipeline.Tests.Destinations.DicomWeb;

/// <summary>Store Instances Responses (PS3.18 Annex I) in DICOM JSON (PS3.18 Annex F), as an origin server writes them.</summary>
internal static class StowJson
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>A response listing <paramref name="stored"/> (with an optional Warning Reason) and <paramref name="failed"/>
    /// (SOP Instance UID may be null, for a part the server could not read).</summary>
    public static string Response(IEnumerable<(string Sop, ushort? Warning)> stored, IEnumerable<(string? Sop, ushort Reason)> failed,
        string retrieveUrl = "https://pacs.example.org/dicom-web/studies/1.2.3")
    {
        var root = new JsonObject { ["00081190"] = Attribute("UR", retrieveUrl) };
        var failedItems = new JsonArray();
        foreach (var (sop, reason) in failed)
        {
            var item = new JsonObject { ["00081197"] = Attribute("US", reason) };
            if (sop is not null)
            {
                item["00081150"] = Attribute("UI", CtImageStorage);
                item["00081155"] = Attribute("UI", sop);
            }
            failedItems.Add(item);
        }
        var storedItems = new JsonArray();
        foreach (var (sop, warning) in stored)
        {
            var item = new JsonObject
            {
                ["00081150"] = Attribute("UI", CtImageStorage),
                ["00081155"] = Attribute("UI", sop),
                ["00081190"] = Attribute("UR", $"{retrieveUrl}/series/1.2.3.4/instances/{sop}"),
            };
            if (warning is { } w) item["00081196"] = Attribute("US", w);
            storedItems.Add(item);
        }
        if (failedItems.Count > 0) root["00081198"] = new JsonObject { ["vr"] = "SQ", ["Value"] = failedItems };
        if (storedItems.Count > 0) root["00081199"] = new JsonObject { ["vr"] = "SQ", ["Value"] = storedItems };
        return root.ToJsonString();
    }

    private static JsonObject Attribute(string vr, string value) => new() { ["vr"] = vr, ["Value"] = new JsonArray(value) };

    private static JsonObject Attribute(string vr, ushort value) =>
        new() { ["vr"] = vr, ["Value"] = new JsonArray(int.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) };
}
