using Conduit.Dicom;
using Conduit.Pipeline.Flows.Loading;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Flows;

/// <summary>A DicomFlow flow file loads unchanged and becomes the same model as a Conduit flow.</summary>
public sealed class DicomFlowCompatibilityTests
{
    private static string TestData(string name) => Path.Combine(RepositoryRoot.Path, "tests", "Conduit.Pipeline.Tests", "TestData", "dicomflow", name);

    [Fact]
    public void The_readme_shaped_flow_loads_and_translates_models_to_container_steps_in_sequence()
    {
        var result = FlowLoader.LoadFile(TestData("full-flow.yaml"));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var flow = result.Flow!;
        Assert.Equal(FlowFormat.DicomFlow, flow.Format);
        Assert.Equal(("FancyFlow", "1.02", 4), (flow.Name, flow.Version, flow.Priority));
        Assert.Equal(BatchScope.Study, flow.Scope);
        Assert.Equal(TriggerMode.EveryMapInBatch, flow.Triggers.Mode);
        Assert.Equal(2, flow.Triggers.Maps.Count);
        Assert.All(flow.Triggers.Maps.SelectMany(m => m.Conditions).SelectMany(c => c.Patterns), p => Assert.False(p.WholeValue));

        Assert.Equal(["model-1", "model-2"], flow.Steps.Select(s => s.Name));
        Assert.Equal([[], ["model-1"]], flow.Steps.Select(s => s.DependsOn.ToArray()));
        var first = Assert.IsType<ContainerStepDefinition>(flow.Steps[0]);
        Assert.Equal("localhost/busybox:latest", first.Image);
        Assert.Equal(["sh", "-c", "echo $CONTAINER_ORDER; cp -r /input /output/"], first.Command);
        Assert.Equal("0", first.Environment["CONTAINER_ORDER"]);
        Assert.Equal(("/input", "/output"), (first.InputDir, first.OutputDir));
        Assert.Null(first.Gpu);
        Assert.True(first.Network); // DicomFlow's containers have Docker's default network
        Assert.Equal(PullPolicy.Try, first.Pull); // pull_before_exec defaults to true in DicomFlow
        Assert.Equal(TimeSpan.FromSeconds(1800), first.Timeout);
        var second = Assert.IsType<ContainerStepDefinition>(flow.Steps[1]);
        Assert.Equal("1", second.Environment["CONTAINER_ORDER"]);
        Assert.Equal("model-2", flow.ResultStep);

        Assert.Equal(2, flow.Destinations.Count);
        var d = Assert.IsType<DicomDestinationDefinition>(flow.Destinations[0]);
        Assert.Equal(("dicom-1", "localhost", 10001, "STORESCP"), (d.Name, d.Host, d.Port, d.CalledAeTitle));
        Assert.Null(d.CallingAeTitle);
    }

    [Fact]
    public void The_simplest_readme_flow_with_a_bare_trigger_value_and_no_destinations_loads()
    {
        var flow = FlowText.Valid("triggers:\n  - Modality: CT\nmodels:\n  - docker_kwargs:\n      image: hello-world\ndestinations: []\n", "simple");

        Assert.Equal("simple", flow.Name); // DicomFlow's name defaults to ""; Conduit names it after the file
        Assert.Equal(FlowFormat.DicomFlow, flow.Format);
        Assert.Empty(flow.Destinations);
        Assert.Equal("hello-world", Assert.IsType<ContainerStepDefinition>(Assert.Single(flow.Steps)).Image);
    }

    [Fact]
    public void Later_dicomflow_fields_translate_lists_of_regexes_exclusions_mounts_resources_and_extras()
    {
        var flow = FlowText.Valid("""
            name: later
            triggers:
              - Modality: ["CT"]
                SeriesDescription: ["Head|Neck|Brain", "Contrast"]
                StudyDescription: ["(?i)RT", "~FLAIR"]
            models:
              - docker_kwargs:
                  image: busybox
                  command: [sh, -c, 'true']
                  environment: ["A=1", "B=two=2"]
                  mem_limit: 512m
                  nano_cpus: 1500000000
                  network_disabled: true
                  user: "1000"
                  shm_size: 1g
                gpu: True
                static_mounts:
                  - "AwesomeModel1:/model1"
                static_mount: "/home/models/m2:/model2:ro"
                pull_before_exec: False
                timeout: 600
            return_to_sender_on_ports: [104]
            extra:
              INTERESTING_PARAMETER: FooBar
            optional_kwargs:
              pass: true
            """);

        var c = flow.Triggers.Maps[0].Conditions;
        Assert.Equal([("Head|Neck|Brain", false), ("Contrast", false)], c[1].Patterns.Select(p => (p.Pattern, p.Negated)));
        Assert.Equal([("(?i)RT", false), ("FLAIR", true)], c[2].Patterns.Select(p => (p.Pattern, p.Negated)));

        var step = Assert.IsType<ContainerStepDefinition>(Assert.Single(flow.Steps));
        Assert.Equal(["sh", "-c", "true"], step.Command);
        Assert.Equal("1", step.Environment["A"]);
        Assert.Equal("two=2", step.Environment["B"]);
        Assert.Equal(512L << 20, step.MemoryBytes);
        Assert.Equal(1.5, step.Cpus);
        Assert.False(step.Network);
        Assert.Equal("1000", step.User);
        Assert.Equal(1, step.Gpu!.Count);
        Assert.Equal([new StaticMount("AwesomeModel1", "/model1"), new StaticMount("/home/models/m2", "/model2")], step.Mounts);
        Assert.Equal(PullPolicy.Missing, step.Pull);
        Assert.Equal(TimeSpan.FromMinutes(10), step.Timeout);

        var back = Assert.IsType<DicomDestinationDefinition>(Assert.Single(flow.Destinations));
        Assert.True(back.ReturnToSender);
        Assert.Equal(104, back.Port);
        Assert.Equal("""{"pass":true,"INTERESTING_PARAMETER":"FooBar"}""", flow.Params.ToJsonString());

        // shm_size is on DicomFlow's list but Conduit does not apply it: accepted, and said so.
        var warning = Assert.Single(flow.Warnings);
        Assert.Equal("flows/x.yaml:15:7: models[0].docker_kwargs.shm_size: is accepted for DicomFlow compatibility but ignored by Conduit", warning.ToString());
    }

    [Theory]
    [InlineData("models:\n  - docker_kwargs:\n      image: busybox\n      privileged: true\n", "flows/x.yaml:4:7: models[0].docker_kwargs: unknown key 'privileged'")]
    [InlineData("models:\n  - gpu: true\n", "flows/x.yaml:2:5: models[0]: 'docker_kwargs' is required (with at least an image)")]
    [InlineData("models:\n  - docker_kwargs:\n      command: ls\n", "flows/x.yaml:3:7: models[0].docker_kwargs: 'image' is required")]
    [InlineData("models:\n  - docker_kwargs: {image: busybox}\n    input_mounts: {src: /input}\n", "flows/x.yaml:3:5: models[0].input_mounts: RadDeploy's input_mounts/output_mounts graph is not read; models run in sequence (write a Conduit flow with 'needs' for a graph)")]
    [InlineData("models: []\ndestinations:\n  - host: pacs\n    port: 104\n", "flows/x.yaml:3:5: destinations[0]: 'ae_title' is required")]
    [InlineData("models: []\nsteps: []\n", "flows/x.yaml:2:1: unknown key 'steps'")]
    public void Dicomflow_mistakes_are_reported_with_their_location(string yaml, string expectedStart)
    {
        Assert.StartsWith(expectedStart, FlowText.SingleError(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Dicomflow_triggers_need_every_map_matched_somewhere_in_the_batch()
    {
        var flow = FlowLoader.LoadFile(TestData("full-flow.yaml")).Flow!;
        var ct = Instance(("Modality", "CT"), ("SeriesDescription", "Brain w/o"));
        var mr = Instance(("SOPClassUID", "1.2.840.10008.5.1.4.1.1.4"), ("StudyDescription", "AutoSegProtocol v2"));
        var other = Instance(("Modality", "CT"), ("SeriesDescription", "Abdomen"));

        Assert.True(flow.Triggers.EvaluateBatch([ct, mr]).Matched);
        Assert.False(flow.Triggers.EvaluateBatch([ct, other]).Matched);
        Assert.Equal("trigger 2 is matched by no instance", flow.Triggers.EvaluateBatch([ct, other]).Reason);
        // Each instance may contribute to the batch; on its own a CT instance does not satisfy the MR map.
        Assert.True(flow.Triggers.MayContribute(ct) && flow.Triggers.MayContribute(mr));
        Assert.False(flow.Triggers.MayContribute(Instance(("Modality", "US"))));
    }

    [Fact]
    public void A_dicomflow_exclusion_matched_by_any_fitting_instance_vetoes_the_batch()
    {
        var flow = FlowText.Valid("triggers:\n  - Modality: [CT]\n    SeriesDescription: ['~FLAIR']\nmodels: []\n");
        var plain = Instance(("Modality", "CT"), ("SeriesDescription", "Head"));
        var flair = Instance(("Modality", "CT"), ("SeriesDescription", "Head FLAIR"));

        Assert.True(flow.Triggers.EvaluateBatch([plain]).Matched);
        var vetoed = flow.Triggers.EvaluateBatch([plain, flair]);
        Assert.False(vetoed.Matched);
        Assert.Equal("trigger 1: an instance matches an excluded pattern", vetoed.Reason);
    }

    private static DatasetTagValues Instance(params (string Keyword, string Value)[] tags)
    {
        var ds = new DicomDataset();
        foreach (var (keyword, value) in tags) ds.AddOrUpdate(DicomTag.Parse(keyword), value);
        return new DatasetTagValues(ds);
    }
}
