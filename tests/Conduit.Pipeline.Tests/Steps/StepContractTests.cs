using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Steps.Containers;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Steps;

public sealed class StepContractTests
{
    [Fact]
    public void The_input_params_file_holds_job_step_params_and_tags()
    {
        using var folders = new StepFolders();

        var path = StepParamsFile.WriteInput(new ProcessStepSpec("seg", "/bin/true", TimeSpan.FromSeconds(1)), folders.Context());

        var written = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(Path.Combine(folders.Input, "conduit-params.json"), path);
        Assert.Equal((folders.JobId, "seg"), (written["job"]!.GetValue<string>(), written["step"]!.GetValue<string>()));
        Assert.Equal(0.5, written["params"]!["threshold"]!.GetValue<double>());
        Assert.Equal("CT", written["tags"]!["Modality"]!.GetValue<string>());
    }

    [Fact]
    public void Output_params_merge_over_input_params_from_a_params_member_or_the_whole_object()
    {
        using var folders = new StepFolders();
        var input = new JsonObject { ["a"] = 1, ["b"] = 2 };

        File.WriteAllText(Path.Combine(folders.Output, StepParamsFile.FileName), """{"params": {"b": 3, "c": 4}, "tags": {"x": "y"}}""");
        var (nested, _) = StepParamsFile.ReadOutput(folders.Output, input);
        File.WriteAllText(Path.Combine(folders.Output, StepParamsFile.FileName), """{"b": 5}""");
        var (flat, _) = StepParamsFile.ReadOutput(folders.Output, input);
        File.Delete(Path.Combine(folders.Output, StepParamsFile.FileName));
        var (none, _) = StepParamsFile.ReadOutput(folders.Output, input);

        Assert.Equal("""{"a":1,"b":3,"c":4}""", nested!.ToJsonString());
        Assert.Equal("""{"a":1,"b":5}""", flat!.ToJsonString());
        Assert.Equal("""{"a":1,"b":2}""", none!.ToJsonString());
        Assert.Equal("""{"a":1,"b":2}""", input.ToJsonString()); // the caller's params are not changed
    }

    [Fact]
    public void Copying_the_input_params_file_to_the_output_changes_nothing()
    {
        using var folders = new StepFolders();
        var context = folders.Context();
        var path = StepParamsFile.WriteInput(new ProcessStepSpec("s", "/bin/true", TimeSpan.FromSeconds(1)), context);
        File.Copy(path, Path.Combine(folders.Output, StepParamsFile.FileName));

        var (merged, error) = StepParamsFile.ReadOutput(folders.Output, context.Params);

        Assert.Null(error);
        Assert.Equal(context.Params.ToJsonString(), merged!.ToJsonString());
    }

    [Theory]
    [InlineData("[1, 2]", "must hold a JSON object")]
    [InlineData("{ not json", "not valid JSON")]
    public void An_output_params_file_that_is_not_an_object_is_an_error(string text, string expected)
    {
        using var folders = new StepFolders();
        File.WriteAllText(Path.Combine(folders.Output, StepParamsFile.FileName), text);

        var (merged, error) = StepParamsFile.ReadOutput(folders.Output, new JsonObject());

        Assert.Null(merged);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_bounded_log_keeps_the_last_bytes_and_says_how_much_it_dropped()
    {
        var log = new BoundedLog(10);
        log.Append("0123456789"u8);
        Assert.Equal("0123456789", log.ToString());

        log.Append("abc"u8);
        log.Append(Encoding.UTF8.GetBytes(new string('x', 25) + "END"));

        Assert.Equal(41, log.TotalBytes);
        Assert.Equal("[… 31 earlier bytes dropped]\nxxxxxxxEND", log.ToString());
    }

    [Fact]
    public void A_bounded_log_cut_inside_a_utf8_character_starts_at_the_next_character()
    {
        var log = new BoundedLog(4);

        log.Append(Encoding.UTF8.GetBytes("aé€")); // 1 + 2 + 3 bytes; the last 4 start inside é

        Assert.EndsWith("\n€", log.ToString());
    }

    [Fact]
    public async Task The_log_stream_is_demultiplexed_even_when_frames_arrive_in_pieces()
    {
        var frames = Frame(1, "hello ").Concat(Frame(2, "from stderr\n")).Concat(Frame(1, "bye\n")).ToArray();
        var log = new BoundedLog(1024);

        await DockerLogDemultiplexer.CopyAsync(new TrickleStream(frames), log, CancellationToken.None);

        Assert.Equal("hello from stderr\nbye\n", log.ToString());
    }

    [Fact]
    public async Task A_log_stream_without_frame_headers_is_kept_raw()
    {
        var log = new BoundedLog(1024);

        await DockerLogDemultiplexer.CopyAsync(new MemoryStream("plain tty output\n"u8.ToArray()), log, CancellationToken.None);

        Assert.Equal("plain tty output\n", log.ToString());
    }

    [Fact]
    public async Task A_corrupt_frame_header_after_valid_frames_is_an_error()
    {
        var bytes = Frame(1, "ok\n").Concat("garbage!"u8.ToArray()).ToArray();

        await Assert.ThrowsAsync<DockerEngineException>(() =>
            DockerLogDemultiplexer.CopyAsync(new MemoryStream(bytes), new BoundedLog(64), CancellationToken.None));
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("localhost/busybox:1.36", "localhost/busybox", "1.36")]
    [InlineData("registry:5000/team/seg", "registry:5000/team/seg", "latest")]
    [InlineData("registry:5000/team/seg:2", "registry:5000/team/seg", "2")]
    [InlineData("seg@sha256:abc", "seg@sha256:abc", null)]
    public void Image_references_split_into_repository_and_tag(string image, string repository, string? tag) =>
        Assert.Equal((repository, tag), ImageReference.Split(image));

    [Theory]
    [InlineData("busybox/../../x?y")]
    [InlineData("a b")]
    [InlineData("")]
    public void An_image_reference_with_characters_an_image_cannot_have_is_refused(string image) =>
        Assert.Throws<ArgumentException>(() => ImageReference.Validate(image));

    [Fact]
    public void The_engine_socket_comes_from_DOCKER_HOST_when_it_is_a_unix_socket()
    {
        Assert.Equal("/run/podman/podman.sock", DockerEngineOptions.FromEnvironment("unix:///run/podman/podman.sock").SocketPath);
        Assert.Equal(DockerEngineOptions.DefaultSocketPath, DockerEngineOptions.FromEnvironment("").SocketPath);
        Assert.Throws<ArgumentException>(() => DockerEngineOptions.FromEnvironment("tcp://10.0.0.1:2375"));
    }

    [Fact]
    public void The_create_request_carries_mounts_network_limits_gpus_user_and_labels()
    {
        var json = new ContainerCreateSpec("seg:1")
        {
            Command = ["run"],
            Environment = ["A=1"],
            Binds = ["/data/in:/input:ro", "/data/out:/output"],
            MemoryBytes = 1024,
            NanoCpus = 1_500_000_000,
            GpuCount = -1,
            User = "1000",
            Labels = new Dictionary<string, string> { ["conduit.job"] = "J" },
        }.ToJson();

        Assert.Equal("none", json["HostConfig"]!["NetworkMode"]!.GetValue<string>());
        Assert.True(json["NetworkDisabled"]!.GetValue<bool>());
        Assert.Equal("""["/data/in:/input:ro","/data/out:/output"]""", json["HostConfig"]!["Binds"]!.ToJsonString());
        Assert.Equal("""[{"Driver":"","Count":-1,"Capabilities":[["gpu"]]}]""", json["HostConfig"]!["DeviceRequests"]!.ToJsonString());
        Assert.Equal((1024L, 1_500_000_000L), (json["HostConfig"]!["Memory"]!.GetValue<long>(), json["HostConfig"]!["NanoCpus"]!.GetValue<long>()));
        Assert.Equal(("1000", "J", """["run"]"""), (json["User"]!.GetValue<string>(), json["Labels"]!["conduit.job"]!.GetValue<string>(), json["Cmd"]!.ToJsonString()));
    }

    [Fact]
    public async Task A_container_step_with_no_engine_fails_with_a_message_naming_the_socket()
    {
        using var folders = new StepFolders();
        using var client = new DockerEngineClient(new DockerEngineOptions { SocketPath = Path.Combine(folders.Input, "no-engine.sock") });
        var spec = new ContainerStepSpec("seg", "busybox", TimeSpan.FromSeconds(5));

        var result = await new ContainerStepRunner(client).RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Contains("no-engine.sock cannot be reached", result.Error);
    }

    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>Hands out at most 3 bytes per read, so headers and payloads arrive split.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(3, buffer.Length)], cancellationToken);
    }
}
