namespace Conduit.Pipeline.Tests.Flows;

/// <summary>Steps run in sequence unless <c>needs</c> makes the flow a DAG; unknown needs and cycles are refused.</summary>
public sealed class StepGraphTests
{
    private static string Step(string name, string? needs = null) =>
        $"  - name: {name}\n    type: process\n    program: /bin/true\n" + (needs is null ? "" : $"    needs: {needs}\n");

    [Fact]
    public void Without_needs_each_step_takes_the_previous_one_and_the_last_is_the_result()
    {
        var flow = FlowText.Valid("steps:\n" + Step("a") + Step("b") + Step("c"));

        Assert.Equal([[], ["a"], ["b"]], flow.Steps.Select(s => s.DependsOn.ToArray()));
        Assert.Equal(["a", "b", "c"], flow.StepsInOrder.Select(s => s.Name));
        Assert.Equal("c", flow.ResultStep);
    }

    [Fact]
    public void With_needs_steps_without_needs_start_from_the_input_and_the_order_respects_dependencies()
    {
        var flow = FlowText.Valid("steps:\n" + Step("merge", "[fold1, fold2]") + Step("fold1") + Step("fold2") + "result: merge\n");

        Assert.Equal([["fold1", "fold2"], [], []], flow.Steps.Select(s => s.DependsOn.ToArray()));
        var order = flow.StepsInOrder.Select(s => s.Name).ToList();
        Assert.True(order.IndexOf("merge") > order.IndexOf("fold1") && order.IndexOf("merge") > order.IndexOf("fold2"), string.Join(",", order));
    }

    [Fact]
    public void An_unknown_need_is_refused_with_a_suggestion()
    {
        Assert.Equal("flows/x.yaml:5:5: steps[1].needs[0]: unknown step 'segmnt' (did you mean 'segment'?)",
            FlowText.SingleError("steps:\n" + Step("segment") + Step("report", "[segmnt]")));
    }

    [Fact]
    public void A_cycle_is_refused_naming_its_steps()
    {
        Assert.Equal("flows/x.yaml:2:5: steps[0].needs: the steps form a cycle: a -> c -> b -> a",
            FlowText.SingleError("steps:\n" + Step("a", "[c]") + Step("b", "[a]") + Step("c", "[b]")));
    }

    [Fact]
    public void A_step_that_needs_itself_is_a_cycle()
    {
        Assert.Equal("flows/x.yaml:2:5: steps[0].needs: the steps form a cycle: a -> a", FlowText.SingleError("steps:\n" + Step("a", "[a]")));
    }

    [Fact]
    public void Two_steps_with_one_name_are_refused()
    {
        Assert.Equal("flows/x.yaml:5:5: steps[1].name: 'a' is already the name of steps[0]; step names must be unique",
            FlowText.SingleError("steps:\n" + Step("a") + Step("a")));
    }

    [Fact]
    public void A_result_naming_no_step_is_refused()
    {
        Assert.Equal("flows/x.yaml:5:1: result: unknown step 'fnial' (did you mean 'final'?)",
            FlowText.SingleError("steps:\n" + Step("final") + "result: fnial\n"));
    }

    [Fact]
    public void A_flow_without_steps_sends_its_input()
    {
        Assert.Null(FlowText.Valid("destinations:\n  - type: folder\n    path: out\n").ResultStep);
    }
}
