using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;

namespace Conduit.Pipeline.Ingest;

/// <summary>An instance's place in one flow's batch: which batch, with which completion rule, and what the tracker needs of it.</summary>
public sealed record FlowMembership(FlowDefinition Flow, BatchKey Key, CompletionRule Rule, InstanceArrival Arrival);

/// <summary>An instance on disk, with its store row and the flows it joins, waiting to be recorded.</summary>
public sealed record PendingInstance(Store.InstanceRecord Record, IReadOnlyList<FlowMembership> Memberships);
