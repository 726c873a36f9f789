using System.CommandLine;
using Conduit.Commands;

// `conduit receive` and `conduit send` do nothing but DICOM networking, and their socket continuations never block
// for long (the receiver's fsyncs go to the thread pool): running those continuations on the socket engine's threads
// (one per core) instead of handing each completed read to a pool thread removes most context switches per instance
// (strace of conduit receive, 1000 small instances: futex calls 8,870 -> 112). A runtime knob read when the first
// socket is used; a value set by the user is kept.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (args is ["receive" or "send", ..] && Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");

return await CommandTable.CreateRoot(args).Parse(args).InvokeAsync();
