using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Association;

/// <summary>
/// The SCP's answer to each proposed presentation context (PS3.8 §9.3.3.2): Verification and every storage SOP class
/// in the dictionary are accepted with a syntax the policy picks; anything else is refused per context with result 3
/// (abstract syntax not supported), never by refusing the association.
/// </summary>
public static class PresentationContextNegotiator
{
    public static List<PresentationContextAccept> Negotiate(IReadOnlyList<PresentationContextRequest> proposed, TransferSyntaxPolicy policy)
    {
        var answers = new List<PresentationContextAccept>(proposed.Count);
        foreach (var context in proposed)
        {
            var isVerification = context.AbstractSyntax == DicomUids.Verification;
            if (!isVerification && !DicomUidDictionary.IsStorageSopClass(context.AbstractSyntax))
            {
                answers.Add(new(context.Id, PresentationContextResult.AbstractSyntaxNotSupported, ""));
                continue;
            }
            var syntax = ChooseSyntax(context.TransferSyntaxes, isVerification ? TransferSyntaxPolicy.UncompressedOnly : policy);
            answers.Add(syntax is null
                ? new(context.Id, PresentationContextResult.TransferSyntaxesNotSupported, "")
                : new(context.Id, PresentationContextResult.Acceptance, syntax));
        }
        return answers;
    }

    internal static string? ChooseSyntax(IReadOnlyList<string> proposed, TransferSyntaxPolicy policy)
    {
        if (policy == TransferSyntaxPolicy.AcceptCompressed)
        {
            foreach (var uid in proposed)
                if (DicomTransferSyntax.TryLookup(uid, out var ts) && !ts.IsUncompressed && IsStorable(ts)) return ts.Uid;
        }
        foreach (var preferred in Uncompressed)
            foreach (var uid in proposed)
                if (uid == preferred.Uid) return uid;
        return null;
    }

    private static readonly DicomTransferSyntax[] Uncompressed =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.ImplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRBigEndian,
    ];

    // JPIP Referenced syntaxes carry a URL instead of pixels: nothing to store as an image (PS3.5 §A.6).
    private static bool IsStorable(DicomTransferSyntax ts) =>
        ts != DicomTransferSyntax.JPIPReferenced && ts != DicomTransferSyntax.JPIPReferencedDeflate;
}
