using System.CommandLine;
using Conduit.Dicom;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Loading;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;

namespace Conduit.Commands;

/// <summary>`conduit flow validate` and `conduit flow test`: check flow files, and dry-run a flow's triggers on files.</summary>
internal static class FlowCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Flow files to check (Conduit or DicomFlow format).", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "Check flow files: each problem is printed as file:line:col: message; exit code 0 when all are valid.") { files };
        validate.SetAction(parse => Validate(parse.GetValue(files)!));

        var flow = new Argument<string>("FLOW") { Description = "A flow file, or the name of a flow in the configured flows directory." };
        var input = new Option<DirectoryInfo?>("--input")
        {
            Description = "Folder of DICOM files to test the triggers on (read recursively, headers only).",
            HelpName = "DIR",
        };
        var study = new Option<string?>("--study")
        {
            Description = "A study already received: test the triggers on its stored instances (in storage.data_directory).",
            HelpName = "UID",
        };
        var config = ConfigCommand.CreateConfigOption();
        var test = new Command("test", "Dry-run a flow's triggers over DICOM files or a stored study: for each instance, whether it matches and why (per trigger map and tag). No step runs.")
        {
            flow, input, study, config,
        };
        test.Validators.Add(result =>
        {
            if ((result.GetValue(input) is null) == (result.GetValue(study) is null)) result.AddError("give either --input DIR or --study UID");
        });
        test.SetAction(parse => Test(parse.GetValue(flow)!, parse.GetValue(input), parse.GetValue(study), parse.GetValue(config)));

        return new Command("flow", "Check and try flow definitions (docs/flows.md describes the format).") { validate, test };
    }

    private static int Validate(FileInfo[] files)
    {
        var exit = ExitCodes.Success;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var result = FlowLoader.LoadFile(file.FullName);
            foreach (var warning in result.Warnings) Console.Error.WriteLine($"{warning.Location}: warning: {(warning.Path.Length > 0 ? warning.Path + ": " : "")}{warning.Message}");
            if (!result.IsValid)
            {
                foreach (var error in result.Errors) Console.Error.WriteLine(error);
                exit = ExitCodes.InvalidConfiguration;
                continue;
            }
            var f = result.Flow!;
            if (names.TryGetValue(f.Name, out var other))
            {
                Console.Error.WriteLine($"{file}: flow name '{f.Name}' is already used by {other}; flow names must be unique");
                exit = ExitCodes.InvalidConfiguration;
                continue;
            }
            names[f.Name] = file.ToString();
            Console.WriteLine($"{file}: ok: flow '{f.Name}'{(f.Format == FlowFormat.DicomFlow ? " (DicomFlow format)" : "")}, {f.Steps.Count} step(s), {f.Destinations.Count} destination(s)");
        }
        return exit;
    }

    private static int Test(string flowArgument, DirectoryInfo? inputFolder, string? studyUid, FileInfo? configFile)
    {
        LoadedConfiguration? loaded = null;
        if (studyUid is not null || !File.Exists(flowArgument))
        {
            loaded = ConfigCommand.LoadOrReport(configFile);
            if (loaded is null) return ExitCodes.InvalidConfiguration;
        }
        var input = inputFolder;
        if (studyUid is not null)
        {
            if (!PathSegments.IsValidUid(studyUid))
            {
                Console.Error.WriteLine($"error: '{studyUid}' is not a valid Study Instance UID (PS3.5 §9.1)");
                return ExitCodes.Usage;
            }
            // The store keeps each instance at instances/<study>/<series>/<sop>.dcm under the data directory.
            input = new DirectoryInfo(Path.Combine(new LocalFileLayout(loaded!.Options.Storage.DataDirectory).Root, LocalFileLayout.InstancesFolder, studyUid));
            if (!input.Exists)
            {
                Console.Error.WriteLine($"error: study {studyUid} is not in the store ({input.FullName} does not exist)");
                return ExitCodes.BadInput;
            }
        }
        var path = flowArgument;
        if (!File.Exists(path))
        {
            var directory = loaded!.Options.Flows.Directory;
            path = Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, "*.y*ml").FirstOrDefault(f => FlowLoader.LoadFile(f).Flow?.Name == flowArgument) ?? ""
                : "";
            if (path.Length == 0)
            {
                Console.Error.WriteLine($"error: '{flowArgument}' is neither a flow file nor the name of a flow in {directory}");
                return ExitCodes.Usage;
            }
        }
        var result = FlowLoader.LoadFile(path);
        if (!result.IsValid)
        {
            foreach (var error in result.Errors) Console.Error.WriteLine(error);
            return ExitCodes.InvalidConfiguration;
        }
        if (!input!.Exists)
        {
            Console.Error.WriteLine($"error: {input}: no such folder");
            return ExitCodes.Usage;
        }

        var flow = result.Flow!;
        Console.WriteLine($"flow '{flow.Name}' ({path}): {flow.Triggers.Maps.Count} trigger map(s), {(flow.Triggers.Mode == TriggerMode.AnyMap ? "any map matches an instance" : "DicomFlow rule: every map must match some instance of the batch")}; scope {flow.Scope.ToString().ToLowerInvariant()}");
        var batches = new Dictionary<string, List<ITagValues>>(StringComparer.Ordinal);
        int total = 0, matched = 0;
        foreach (var file in Directory.EnumerateFiles(input.FullName, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(input.FullName, file);
            DicomDataset dataset;
            try
            {
                dataset = DicomFile.Open(file, DicomReadOptions.HeaderOnly).Dataset;
            }
            catch (Exception ex) when (ex is DicomReadException or IOException)
            {
                Console.Error.WriteLine($"warning: {name}: skipped, not readable as DICOM: {ex.Message}");
                continue;
            }
            total++;
            var instance = new DatasetTagValues(dataset);
            var evaluation = flow.Triggers.Evaluate(instance);
            if (evaluation.Matched) matched++;
            Console.WriteLine($"{name}: {(evaluation.Matched ? "MATCH" : "no match")}");
            if (flow.Triggers.Maps.Count == 0) Console.WriteLine("  no triggers: every instance matches");
            foreach (var map in evaluation.Maps)
            {
                Console.WriteLine($"  trigger {map.Map.Index}: {(map.Matched ? "matched" : "not matched")}");
                foreach (var c in map.Conditions) Console.WriteLine($"    {(c.Matched ? "ok  " : "FAIL")} {c.Condition.Name}: {c.Detail}");
            }
            var key = flow.Scope == BatchScope.Study ? DicomTags.StudyInstanceUID : DicomTags.SeriesInstanceUID;
            var batchKey = dataset.GetStringOrDefault(key) ?? "(none)";
            if (!batches.TryGetValue(batchKey, out var list)) batches[batchKey] = list = [];
            list.Add(instance);
        }

        Console.WriteLine();
        foreach (var (uid, instances) in batches)
        {
            var decision = flow.Triggers.EvaluateBatch(instances);
            Console.WriteLine($"{flow.Scope.ToString().ToLowerInvariant()} {uid} ({instances.Count} instance(s)): {(decision.Matched ? "would start a job" : "no job")}: {decision.Reason}");
        }
        Console.WriteLine($"{matched} of {total} instance(s) match");
        return ExitCodes.Success;
    }
}
