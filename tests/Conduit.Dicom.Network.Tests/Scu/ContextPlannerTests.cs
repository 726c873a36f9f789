using Conduit.Dicom.Network.Scu;

namespace Conduit.Dicom.Network.Tests.Scu;

/// <summary>
/// The SCU's presentation contexts (PS3.8 §9.3.2.2): per SOP class one context per transfer syntax its files are in,
/// plus the Explicit/Implicit VR LE fallback; at most 128 per association, more associations (batches) when needed.
/// </summary>
public class ContextPlannerTests
{
    private static readonly DicomTransferSyntax[] Syntaxes =
        [DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.JPEGBaseline8Bit];

    private static List<ScuFile> Files(int classes, int syntaxesPerClass, int filesPerClass)
    {
        var files = new List<ScuFile>();
        // Interleaved: file i is of class i % classes, so a class's files are spread over the whole list.
        for (var i = 0; i < classes * filesPerClass; i++)
        {
            var cls = i % classes;
            var syntax = Syntaxes[i / classes % syntaxesPerClass];
            files.Add(new ScuFile(i, $"/f{i}.dcm", $"1.2.3.{cls}", $"1.2.3.{cls}.{i}", syntax, 0, 100));
        }
        return files;
    }

    [Fact]
    public void One_class_in_two_syntaxes_gets_a_context_for_each_and_the_fallback()
    {
        var batch = Assert.Single(ContextPlanner.Plan(Files(classes: 1, syntaxesPerClass: 2, filesPerClass: 4)));
        Assert.Equal([1, 3, 5], batch.Contexts.Select(c => (int)c.Id));
        Assert.Equal([[Syntaxes[0].Uid], [Syntaxes[1].Uid], [Syntaxes[0].Uid, Syntaxes[1].Uid]],
            batch.Contexts.Select(c => c.TransferSyntaxes.ToArray()));
        Assert.Equal(Enumerable.Range(0, 4), batch.Files.Select(f => f.Index));
    }

    [Fact]
    public void Many_classes_are_split_into_batches_of_at_most_128_contexts_that_cover_every_file()
    {
        // 100 classes x (2 syntaxes + fallback) = 300 contexts: three associations' worth.
        var files = Files(classes: 100, syntaxesPerClass: 2, filesPerClass: 4);
        var batches = ContextPlanner.Plan(files);

        Assert.Equal(3, batches.Count);
        Assert.Equal(files.Count, batches.Sum(b => b.Files.Count));
        Assert.Equal(files.Select(f => f.Index).Order(), batches.SelectMany(b => b.Files).Select(f => f.Index).Order());
        foreach (var batch in batches)
        {
            Assert.InRange(batch.Contexts.Count, 1, ContextPlanner.MaxContexts);
            Assert.Equal(Enumerable.Range(0, batch.Contexts.Count).Select(i => 2 * i + 1), batch.Contexts.Select(c => (int)c.Id));
            Assert.Equal(batch.Files.Select(f => f.Index).Order(), batch.Files.Select(f => f.Index));
            foreach (var file in batch.Files)
            {
                Assert.Contains(batch.Contexts, c => c.AbstractSyntax == file.SopClassUid && c.TransferSyntaxes.SequenceEqual([file.Syntax.Uid]));
                Assert.Contains(batch.Contexts, c => c.AbstractSyntax == file.SopClassUid && c.TransferSyntaxes.Count == 2);
            }
        }
    }
}
