using System.Text.Json.Nodes;
using Conduit.Dicom;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;

namespace Conduit.Pipeline.Tests.Flows;

/// <summary>Every field of Conduit's flow schema reads into the model.</summary>
public sealed class FlowSchemaTests
{
    private const string Full = """
        name: ct-seg
        version: "2.1"
        description: Segment CT studies
        priority: 5
        scope: study
        required_series:
          - Modality: CT
          - Modality: RTSTRUCT
        triggers:
          - Modality: '^CT$'
            (0008,103E): '(?i)thorax'
          - 0008,0060: MR
            ImageType: ['ORIGINAL', '!LOCALIZER', {not: SCOUT}]
        input:
          subfolders: [SeriesInstanceUID, Modality]
        params:
          threshold: 0.5
          iterations: 3
          enabled: true
          label: "007"
          organs: [liver, lung]
        completion:
          quiet_time: 45s
        steps:
          - name: prepare
            type: filter
            keep:
              - ImageType: ORIGINAL
          - name: tidy
            type: modify
            set:
              InstitutionName: Conduit Hospital
              SeriesDescription: 'a\b'
            remove: [PatientComments, '(0010,4000)']
          - name: segment
            type: container
            image: registry.example.org/seg:1.2
            command: python run.py --fast "two words"
            entrypoint: [/bin/sh, -c]
            env: {MODE: fast, LEVEL: 3}
            input_dir: /data/in/
            output_dir: /data/out
            timeout: 1h30m
            pull: always
            mounts:
              - models/seg:/models
              - {source: /etc/licence, target: /licence}
            gpu: 2
            network: true
            cpus: 1.5
            memory: 4g
            user: "1000:1000"
            needs: [prepare, tidy]
          - name: report
            type: process
            program: /usr/bin/python3
            args: [report.py, --json]
            env: {LANG: C.UTF-8}
            timeout: 5m
            needs: [segment]
            when:
              found: '^true$'
              mode: '!skip'
        result: segment
        destinations:
          - name: pacs
            type: dicom
            host: pacs.example.org
            port: 104
            called_ae: PACS
            calling_ae: ROUTER
            retries: 9
            backoff: 1m
          - type: folder
            path: out/ct
          - type: dicomweb
            url: https://dicomweb.example.org/studies
            auth: {type: basic, username: conduit, password_env: DICOMWEB_PASSWORD}
        webhooks:
          - https://hooks.example.org/a
          - url: https://hooks.example.org/b
            on: [failed]
            headers: {X-Token: abc}
        """;

    [Fact]
    public void Top_level_fields_read_into_the_flow()
    {
        var flow = FlowText.Valid(Full);

        Assert.Equal("ct-seg", flow.Name);
        Assert.Equal("2.1", flow.Version);
        Assert.Equal("Segment CT studies", flow.Description);
        Assert.Equal(5, flow.Priority);
        Assert.Equal(BatchScope.Study, flow.Scope);
        Assert.Equal(2, flow.RequiredSeries.Count);
        Assert.Equal([DicomTags.SeriesInstanceUID, DicomTags.Modality], flow.Input.SubfolderTags);
        Assert.Equal(TimeSpan.FromSeconds(45), flow.QuietTime);
        Assert.Equal("segment", flow.ResultStep);
        Assert.Equal(FlowFormat.Conduit, flow.Format);
        Assert.Empty(flow.Warnings);
    }

    [Fact]
    public void Params_keep_yaml_types_as_json()
    {
        var p = FlowText.Valid(Full).Params;

        Assert.Equal("""{"threshold":0.5,"iterations":3,"enabled":true,"label":"007","organs":["liver","lung"]}""", p.ToJsonString());
    }

    [Fact]
    public void Triggers_read_tags_by_keyword_and_number_and_patterns_with_negation()
    {
        var triggers = FlowText.Valid(Full).Triggers;

        Assert.Equal(TriggerMode.AnyMap, triggers.Mode);
        Assert.Equal(2, triggers.Maps.Count);
        Assert.Equal([DicomTags.Modality, DicomTags.SeriesDescription], triggers.Maps[0].Conditions.Select(c => c.Tag));
        var imageType = triggers.Maps[1].Conditions[1];
        Assert.Equal(DicomTags.ImageType, imageType.Tag);
        Assert.Equal([("ORIGINAL", false), ("LOCALIZER", true), ("SCOUT", true)], imageType.Patterns.Select(p => (p.Pattern, p.Negated)));
        Assert.Equal(DicomTags.Modality, triggers.Maps[1].Conditions[0].Tag);
    }

    [Fact]
    public void Container_step_reads_every_field()
    {
        var step = Assert.IsType<ContainerStepDefinition>(FlowText.Valid(Full).Steps[2]);

        Assert.Equal("segment", step.Name);
        Assert.Equal("registry.example.org/seg:1.2", step.Image);
        Assert.Equal(["python", "run.py", "--fast", "two words"], step.Command);
        Assert.Equal(["/bin/sh", "-c"], step.Entrypoint);
        Assert.Equal("fast", step.Environment["MODE"]);
        Assert.Equal("3", step.Environment["LEVEL"]);
        Assert.Equal("/data/in", step.InputDir);
        Assert.Equal("/data/out", step.OutputDir);
        Assert.Equal(TimeSpan.FromMinutes(90), step.Timeout);
        Assert.Equal(PullPolicy.Always, step.Pull);
        Assert.Equal([new StaticMount("models/seg", "/models"), new StaticMount("/etc/licence", "/licence")], step.Mounts);
        Assert.Equal("/srv/static/models/seg", step.Mounts[0].ResolveSource("/srv/static"));
        Assert.Equal(2, step.Gpu!.Count);
        Assert.True(step.Network);
        Assert.Equal(1.5, step.Cpus);
        Assert.Equal(4L << 30, step.MemoryBytes);
        Assert.Equal("1000:1000", step.User);
        Assert.Equal(["prepare", "tidy"], step.Needs);
        Assert.Equal(["prepare", "tidy"], step.DependsOn);
    }

    [Fact]
    public void Container_step_defaults_are_the_documented_ones()
    {
        var flow = FlowText.Valid("steps:\n  - name: s\n    type: container\n    image: busybox\n");
        var step = Assert.IsType<ContainerStepDefinition>(flow.Steps[0]);

        Assert.Equal("/input", step.InputDir);
        Assert.Equal("/output", step.OutputDir);
        Assert.False(step.Network);
        Assert.Equal(PullPolicy.Missing, step.Pull);
        Assert.Null(step.Timeout);
        Assert.Null(step.Gpu);
        Assert.Null(step.Command);
        Assert.Equal("x", flow.Name); // from the file name
        Assert.Equal(0, flow.Priority);
        Assert.Equal(BatchScope.Series, flow.Scope);
        Assert.True(flow.Input.IsFlat);
    }

    [Fact]
    public void Process_filter_and_modify_steps_read_every_field()
    {
        var steps = FlowText.Valid(Full).Steps;

        var filter = Assert.IsType<FilterStepDefinition>(steps[0]);
        Assert.Equal(DicomTags.ImageType, Assert.Single(Assert.Single(filter.Keep.Maps).Conditions).Tag);

        var modify = Assert.IsType<ModifyStepDefinition>(steps[1]);
        Assert.Equal([new TagAssignment(DicomTags.InstitutionName, DicomVR.LO, "Conduit Hospital"), new TagAssignment(DicomTags.SeriesDescription, DicomVR.LO, "a\\b")], modify.Set);
        Assert.Equal([DicomTags.PatientComments, DicomTags.PatientComments], modify.Remove);

        var process = Assert.IsType<ProcessStepDefinition>(steps[3]);
        Assert.Equal("/usr/bin/python3", process.Program);
        Assert.Equal(["report.py", "--json"], process.Arguments);
        Assert.Equal("C.UTF-8", process.Environment["LANG"]);
        Assert.Equal(TimeSpan.FromMinutes(5), process.Timeout);
        Assert.Equal(2, process.When.Conditions.Count);
    }

    [Fact]
    public void Destinations_read_every_kind_with_overrides_and_defaults()
    {
        var destinations = FlowText.Valid(Full).Destinations;

        var pacs = Assert.IsType<DicomDestinationDefinition>(destinations[0]);
        Assert.Equal(("pacs", "pacs.example.org", 104, "PACS", "ROUTER"), (pacs.Name, pacs.Host, pacs.Port, pacs.CalledAeTitle, pacs.CallingAeTitle));
        Assert.Equal(new RetryOverride(9, TimeSpan.FromMinutes(1)), pacs.Retry);
        var schedule = pacs.Retry.ToSchedule(new DestinationDefaultsOptions());
        Assert.Equal(10, schedule.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), schedule.InitialDelay);

        var folder = Assert.IsType<FolderDestinationDefinition>(destinations[1]);
        Assert.Equal("folder-2", folder.Name);
        Assert.Equal("/srv/data/out/ct", folder.ResolvePath("/srv/data"));
        Assert.Equal(RetryOverride.None, folder.Retry);

        var web = Assert.IsType<DicomWebDestinationDefinition>(destinations[2]);
        Assert.Equal(new Uri("https://dicomweb.example.org/studies"), web.Url);
        Assert.Equal(new DicomWebAuth(DicomWebAuthKind.Basic, "conduit", null, "DICOMWEB_PASSWORD"), web.Auth);
    }

    [Fact]
    public void A_dicomweb_destination_reads_its_limits_and_credentials_in_either_auth_form()
    {
        var flow = FlowText.Valid("""
            destinations:
              - name: orthanc
                type: dicomweb
                url: http://127.0.0.1:8042/dicom-web
                auth: {basic: {username: u, password_env: ORTHANC_PW}}
                max_instances: 20
                max_request_size: 16m
                timeout: 90s
              - type: dicomweb
                url: https://cloud.example.org/dicomWeb
                auth:
                  bearer:
                    token_env: CLOUD_TOKEN
              - type: dicomweb
                url: https://open.example.org/dicom-web
            """);

        var orthanc = Assert.IsType<DicomWebDestinationDefinition>(flow.Destinations[0]);
        Assert.Equal(new DicomWebAuth(DicomWebAuthKind.Basic, "u", null, "ORTHANC_PW"), orthanc.Auth);
        Assert.Equal((20, 16L << 20, TimeSpan.FromSeconds(90)), (orthanc.MaxInstances, orthanc.MaxRequestBytes, orthanc.Timeout));
        var cloud = Assert.IsType<DicomWebDestinationDefinition>(flow.Destinations[1]);
        Assert.Equal(new DicomWebAuth(DicomWebAuthKind.Bearer, TokenEnvironmentVariable: "CLOUD_TOKEN"), cloud.Auth);
        var open = Assert.IsType<DicomWebDestinationDefinition>(flow.Destinations[2]);
        Assert.Equal(DicomWebAuth.None, open.Auth);
        Assert.Equal((DicomWebDestinationDefinition.DefaultMaxInstances, DicomWebDestinationDefinition.DefaultMaxRequestBytes, DicomWebDestinationDefinition.DefaultTimeout),
            (open.MaxInstances, open.MaxRequestBytes, open.Timeout));
    }

    [Fact]
    public void Webhooks_read_as_urls_or_maps()
    {
        var hooks = FlowText.Valid(Full).Webhooks;

        Assert.Equal(new Uri("https://hooks.example.org/a"), hooks[0].Url);
        Assert.Equal(WebhookEvents.All, hooks[0].On);
        Assert.Equal(WebhookEvents.Failed, hooks[1].On);
        Assert.Equal("abc", hooks[1].Headers["X-Token"]);
    }

    [Fact]
    public void Required_series_become_grouping_requirements_matched_on_tag_values()
    {
        var requirements = FlowText.Valid(Full).SeriesRequirements();

        Assert.Equal(2, requirements.Count);
        var ct = new KeywordTagValues(new Dictionary<string, string> { ["Modality"] = "CT" });
        var rt = new KeywordTagValues(new Dictionary<string, string> { ["Modality"] = "RTSTRUCT" });
        Assert.True(requirements[0].IsSatisfiedBy(ct));
        Assert.False(requirements[0].IsSatisfiedBy(rt));
        Assert.True(requirements[1].IsSatisfiedBy(rt));
        Assert.Equal([requirements[1].Name], InstanceArrival.Meeting(requirements, rt));
    }

    [Fact]
    public void When_conditions_read_params_written_by_earlier_steps()
    {
        var report = FlowText.Valid(Full).Steps[3];
        var parameters = JsonNode.Parse("""{"found": true, "mode": "full"}""")!.AsObject();

        Assert.True(report.When.Evaluate(parameters).Run);
        parameters["mode"] = "skip";
        var (run, reason) = report.When.Evaluate(parameters);
        Assert.False(run);
        Assert.Equal("mode = 'skip' matches excluded /skip/", reason);
        Assert.False(report.When.Evaluate(JsonNode.Parse("""{"mode": "full"}""")!.AsObject()).Run); // found absent
    }
}
