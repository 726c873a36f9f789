using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;
using Conduit.Tests.Support;
using static Conduit.Tests.DicomWeb.DicomWebClient;

namespace Conduit.Tests.DicomWeb;

/// <summary>
/// Issue 5, "Must show" 2 (first half): a real Orthanc with its DICOMweb plugin, configured with Conduit as a DICOMweb
/// server, pushes a study to Conduit by STOW-RS; Conduit's QIDO-RS finds it and WADO-RS returns Orthanc's files.
/// Conduit has a user, so login is required: Orthanc's server entry carries that user's name and password and the
/// plugin sends them as HTTP Basic, the way DICOMweb peers authenticate.
/// </summary>
public sealed class OrthancStowInteropTests : IAsyncLifetime
{
    private const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
    private static readonly string[] CtFiles =
        new[] { "IM000000", "IM000001", "IM000002" }.Select(f => $"dicomdir/pydicom-dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/{f}").ToArray();

    private const string User = "orthanc-peer";
    private const string Password = "stow-password-1";

    private DicomWebHost _conduit = null!;
    private OrthancServer _orthanc = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _conduit = await DicomWebHost.StartAsync(user: (User, "operator", Password));
        _http = new HttpClient { BaseAddress = _conduit.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        _orthanc = await OrthancServer.StartAsync(new OrthancOptions
        {
            Settings = new Dictionary<string, JsonNode?>
            {
                ["Plugins"] = new JsonArray(DicomWebPlugin),
                ["DicomWeb"] = new JsonObject
                {
                    ["Enable"] = true,
                    ["Root"] = "/dicom-web/",
                    // [url, username, password]: the plugin authenticates to this server with HTTP Basic.
                    ["Servers"] = new JsonObject
                    {
                        ["conduit"] = new JsonArray(new Uri(_conduit.BaseAddress, "/dicomweb/").ToString(), User, Password),
                        ["conduit-anonymous"] = new JsonArray(new Uri(_conduit.BaseAddress, "/dicomweb/").ToString()),
                    },
                },
            },
        });
    }

    public async Task DisposeAsync()
    {
        _orthanc.Dispose();
        _http.Dispose();
        await _conduit.DisposeAsync();
    }

    [Fact]
    public async Task Orthanc_pushes_a_study_by_STOW_RS_that_QIDO_finds_and_WADO_returns_identical()
    {
        string? orthancStudy = null;
        foreach (var file in CtFiles)
        {
            using var upload = await _orthanc.Http.PostAsync("/instances", new ByteArrayContent(File.ReadAllBytes(Samples.Get(file).FullPath)));
            upload.EnsureSuccessStatusCode();
            orthancStudy = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ParentStudy").GetString();
        }

        // Without credentials Conduit refuses the push (and stores nothing).
        using var refused = await _orthanc.Http.PostAsync("/dicom-web/servers/conduit-anonymous/stow",
            JsonContent.Create(new JsonObject { ["Resources"] = new JsonArray(orthancStudy) }));
        Assert.False(refused.IsSuccessStatusCode, $"Orthanc's STOW-RS without credentials was accepted: {await refused.Content.ReadAsStringAsync()}");
        using (var none = JsonDocument.Parse(await _http.GetStringAsync("/dicomweb/studies")))
            Assert.Equal(0, none.RootElement.GetArrayLength());

        using var push = await _orthanc.Http.PostAsync("/dicom-web/servers/conduit/stow",
            JsonContent.Create(new JsonObject { ["Resources"] = new JsonArray(orthancStudy) }));
        Assert.True(push.IsSuccessStatusCode, $"Orthanc's STOW-RS to Conduit: {push.StatusCode} {await push.Content.ReadAsStringAsync()}\n{_orthanc.Output}");

        var study = DicomFile.Open(Samples.Get(CtFiles[0]).FullPath, DicomReadOptions.HeaderOnly).Dataset.GetString(DicomTags.StudyInstanceUID);
        using var qido = JsonDocument.Parse(await _http.GetStringAsync($"/dicomweb/studies?StudyInstanceUID={study}"));
        Assert.Equal(CtFiles.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Text(Assert.Single(qido.RootElement.EnumerateArray()), "00201208"));

        using var wado = await _http.GetAsync($"/dicomweb/studies/{study}");
        Assert.Equal(HttpStatusCode.OK, wado.StatusCode);
        var parts = await ReadPartsAsync(wado);
        Assert.Equal(CtFiles.Length, parts.Count);
        foreach (var id in await _orthanc.ListInstanceIdsAsync())
        {
            var orthancFile = await _orthanc.Http.GetByteArrayAsync($"/instances/{id}/file");
            Assert.Contains(parts, p => p.AsSpan().SequenceEqual(orthancFile));
        }
    }
}
