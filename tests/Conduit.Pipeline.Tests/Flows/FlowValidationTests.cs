namespace Conduit.Pipeline.Tests.Flows;

/// <summary>Each kind of mistake in a flow file is refused with file:line:col, the path of the setting, and what is allowed.</summary>
public sealed class FlowValidationTests
{
    [Theory]
    // unknown keys, with suggestions
    [InlineData("nmae: x\n", "flows/x.yaml:1:1: unknown key 'nmae' (did you mean 'name'?); allowed: name, version, description, priority, scope, required_series, triggers, input, params, completion, steps, result, destinations, webhooks")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    timout: 10m\n", "flows/x.yaml:5:5: steps[0]: unknown key 'timout' (did you mean 'timeout'?); allowed: name, type, needs, when, image, command, entrypoint, env, input_dir, output_dir, timeout, pull, mounts, gpu, network, cpus, memory, user")]
    // values
    [InlineData("priority: 7\n", "flows/x.yaml:1:1: priority: 7 is not a priority from 0 to 5 (5 highest)")]
    [InlineData("scope: patient\n", "flows/x.yaml:1:1: scope: 'patient' is not a scope (series or study)")]
    [InlineData("name: 'my flow'\n", "flows/x.yaml:1:1: name: 'my flow' is not a flow name (letters, digits, '.', '_', '-'; at most 64)")]
    [InlineData("required_series:\n  - Modality: CT\n", "flows/x.yaml:1:1: required_series: only a flow with scope: study can require series")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n  - name: b\n    type: container\n    image: busybox\n    timeout: 10 minutes\n", "flows/x.yaml:8:5: steps[1].timeout: '10 minutes' is not a duration (e.g. 30s, 10m, 1h)")]
    [InlineData("steps:\n  - name: a\n    type: lambda\n", "flows/x.yaml:3:5: steps[0].type: 'lambda' is not a step type (container, process, filter or modify)")]
    [InlineData("steps:\n  - type: container\n    image: busybox\n", "flows/x.yaml:2:5: steps[0]: 'name' is required")]
    [InlineData("steps:\n  - name: a\n    type: container\n", "flows/x.yaml:2:5: steps[0]: 'image' is required")]
    [InlineData("steps:\n  - name: a b\n    type: container\n    image: busybox\n", "flows/x.yaml:2:5: steps[0].name: 'a b' is not a step name (letters, digits, '.', '_', '-'; at most 64; it names the step's folders)")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    pull: sometimes\n", "flows/x.yaml:5:5: steps[0].pull: 'sometimes' is not a pull policy (missing, always, never or try)")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    memory: lots\n", "flows/x.yaml:5:5: steps[0].memory: 'lots' is not a size (e.g. 512m, 4g, or a number of bytes)")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    gpu: maybe\n", "flows/x.yaml:5:5: steps[0].gpu: 'maybe' is not a GPU request (true, false, a count, all, or a list of device ids)")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    input_dir: data\n", "flows/x.yaml:5:5: steps[0].input_dir: 'data' is not an absolute path inside the container (e.g. /input)")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    mounts: ['/models:/m:rw']\n", "flows/x.yaml:5:14: steps[0].mounts: '/models:/m:rw': mounts are read-only; drop ':rw'")]
    [InlineData("steps:\n  - name: a\n    type: container\n    image: busybox\n    command: sh -c 'echo\n", "flows/x.yaml:5:5: steps[0].command: cannot split 'sh -c 'echo' into words: a single quote is not closed")]
    [InlineData("steps:\n  - name: a\n    type: modify\n    set:\n      PixelData: x\n", "flows/x.yaml:5:7: steps[0].set.PixelData: PixelData cannot be set: only public tags with a text VR can (not sequences, binary or private tags)")]
    [InlineData("steps:\n  - name: a\n    type: modify\n", "flows/x.yaml:2:5: steps[0]: a modify step needs 'set' or 'remove'")]
    // triggers
    [InlineData("triggers:\n  - Modalty: CT\n", "flows/x.yaml:2:5: triggers[0]: unknown tag 'Modalty' (did you mean 'Modality'?): write a keyword (Modality) or a tag ((0008,0060) or 0008,0060)")]
    [InlineData("triggers:\n  - Modality: '(CT'\n", "flows/x.yaml:2:15: triggers[0].Modality: '(CT' is not a valid regular expression: Not enough )'s.")]
    [InlineData("triggers:\n  - Modality: !SR\n", "flows/x.yaml:2:15: triggers[0].Modality: '!SR' was read as a YAML tag; quote it (\"!SR\") or write {not: SR}")]
    [InlineData("triggers:\n  - Modality:\n", "flows/x.yaml:2:14: triggers[0].Modality: an empty pattern; write '' to accept any value, or '^$' for an empty one")]
    [InlineData("triggers:\n  - Modality: {nicht: SR}\n", "flows/x.yaml:2:15: triggers[0].Modality: expected {not: regex} (or a list of regexes under not)")]
    [InlineData("triggers: CT\n", "flows/x.yaml:1:11: triggers: expected a list of maps of tag: regex (e.g. - Modality: CT)")]
    // destinations and webhooks
    [InlineData("destinations:\n  - type: dicom\n    host: pacs\n    port: 70000\n    called_ae: PACS\n", "flows/x.yaml:4:5: destinations[0].port: 70000 is not a port (1-65535)")]
    [InlineData("destinations:\n  - type: dicom\n    host: pacs\n    port: 104\n    called_ae: A_VERY_LONG_AE_TITLE\n", "flows/x.yaml:5:5: destinations[0].called_ae: 'A_VERY_LONG_AE_TITLE' is longer than 16 characters, the AE title limit (PS3.5 §6.2)")]
    [InlineData("destinations:\n  - type: ftp\n", "flows/x.yaml:2:5: destinations[0].type: 'ftp' is not a destination type (dicom, folder or dicomweb)")]
    [InlineData("destinations:\n  - type: folder\n    path: a\n  - type: folder\n    name: folder-1\n    path: b\n", "flows/x.yaml:4:5: destinations[1]: a second destination named 'folder-1'; give each a unique name")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: ftp://x\n", "flows/x.yaml:3:5: destinations[0].url: 'ftp://x' is not an absolute http:// or https:// URL")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    auth: {type: bearer}\n", "flows/x.yaml:4:11: destinations[0].auth: bearer auth needs 'token' or 'token_env' (one of them)")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    auth: {basic: {username: u}}\n", "flows/x.yaml:4:12: destinations[0].auth.basic: basic auth needs 'password' or 'password_env' (one of them)")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    auth: {basic: {username: u, password_env: 'MY PW'}}\n", "flows/x.yaml:4:33: destinations[0].auth.basic.password_env: 'MY PW' is not an environment variable name (letters, digits, '_')")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    auth: {type: basic, username: 'a:b', password: p}\n", "flows/x.yaml:4:25: destinations[0].auth.username: a user name for basic auth cannot contain ':' (RFC 7617 §2)")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    auth: {type: digest}\n", "flows/x.yaml:4:12: destinations[0].auth.type: 'digest' is not an auth type (none, basic or bearer)")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://u:p@x/dicom-web\n", "flows/x.yaml:3:5: destinations[0].url: 'https://u:p@x/dicom-web' must be the DICOMweb base URL alone: no query, fragment or user:password@ (credentials go in 'auth')")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    max_instances: 0\n", "flows/x.yaml:4:5: destinations[0].max_instances: 0 is not a number of instances from 1 to 10000")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    max_request_size: huge\n", "flows/x.yaml:4:5: destinations[0].max_request_size: 'huge' is not a size of at least 1k (e.g. 512m, 4g, or a number of bytes)")]
    [InlineData("destinations:\n  - type: dicomweb\n    url: https://x\n    timeout: soon\n", "flows/x.yaml:4:5: destinations[0].timeout: 'soon' is not a duration (e.g. 30s, 10m, 1h)")]
    [InlineData("webhooks:\n  - url: https://x\n    on: [done]\n", "flows/x.yaml:3:10: webhooks[0].on: 'done' is not a job outcome (succeeded or failed)")]
    // the file itself
    [InlineData("name: a\nname: b\n", "flows/x.yaml:2:1: not valid YAML: Duplicate key name")]
    [InlineData("- a\n", "flows/x.yaml:1:1: expected a flow: a map with name, triggers, steps, destinations, ...")]
    [InlineData("", "flows/x.yaml:1:1: expected a flow: a map with name, triggers, steps, destinations, ...")]
    public void Each_mistake_is_reported_with_its_location(string yaml, string expected)
    {
        Assert.Equal(expected, FlowText.SingleError(yaml));
    }

    [Fact]
    public void A_tag_split_by_the_comma_of_a_yaml_flow_list_gets_a_hint_to_quote_it()
    {
        var result = FlowText.Load("input:\n  subfolders: [SeriesInstanceUID, (0020,000D)]\n");

        Assert.Equal("flows/x.yaml:2:35: input.subfolders: unknown tag '(0020': inside [ ] a comma separates items, so quote the tag ('(0010,4000)')", result.Errors[0].ToString());
        Assert.True(FlowText.Load("input:\n  subfolders: [SeriesInstanceUID, '(0020,000D)']\n").IsValid);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_in_line_order()
    {
        var result = FlowText.Load("priority: 9\nscope: x\nsteps:\n  - name: a\n    type: container\n    image: b\n    timeout: soon\n");

        Assert.Equal(["flows/x.yaml:1:1", "flows/x.yaml:2:1", "flows/x.yaml:7:5"], result.Errors.Select(e => e.Location.ToString()));
        Assert.Null(result.Flow);
    }
}
