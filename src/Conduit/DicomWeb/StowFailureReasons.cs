using Conduit.Dicom;
using Conduit.Pipeline.Ingest;
using static Conduit.Pipeline.Destinations.DicomWeb.StowStatus;

namespace Conduit.DicomWeb;

/// <summary>
/// The Failure Reason (0008,1197) Conduit's STOW-RS gives a part it did not store, from PS3.18 §I.2.2, Table I.2-2
/// ("in the event that multiple codes may apply, the single most appropriate code shall be used"). Conduit stores any
/// transfer syntax and any SOP class with valid UIDs, so 0xC122 is never used, and 0x0122 only for SOP classes that
/// are known not to be storage classes (a DICOMDIR, a worklist query).
/// </summary>
internal static class StowFailureReasons
{
    public static ushort For(ImportOutcome outcome) => outcome.Refusal switch
    {
        // A part that is not DICOM Part 10 (or not of type application/dicom): "cannot understand".
        ImportRefusal.NotDicom => CannotUnderstand,
        // Readable, but the Type 1 UIDs every composite IOD has (PS3.3 General Study/Series, SOP Common) are missing
        // or invalid: the data set does not conform to its SOP Class. A SOP class known not to be a storage class
        // is "SOP Class not supported". (The C-STORE receiver answers 0xA900 for the same data set.)
        ImportRefusal.MissingUids when outcome.SopClassUid is { } sopClass && DicomUidDictionary.Find(sopClass) is not null
            && !DicomUidDictionary.IsStorageSopClass(sopClass) => SopClassNotSupported,
        ImportRefusal.MissingUids => DataSetDoesNotMatchSopClass,
        // An instance of another study than /studies/{study} names: PS3.18 Table 10.5.3-1 calls it a conflict, Table
        // I.2-2 has no value for it, and §I.2.2 lets the conformance statement define one (StowStatus).
        ImportRefusal.OtherStudy => StudyInstanceUidMismatch,
        _ => outcome.SopInstanceUid is null ? CannotUnderstand : ProcessingFailure,
    };

    /// <summary>A failure to write a part to the store: out of space is "refused: out of resources" (the client may
    /// try again later), anything else a processing failure.</summary>
    public static ushort ForStorageError(IOException error) => IsDiskFull(error) ? OutOfResources : ProcessingFailure;

    // ENOSPC (28) and EDQUOT (122) on Linux, where .NET puts the errno in HResult; ERROR_DISK_FULL and
    // ERROR_HANDLE_DISK_FULL on Windows.
    private static bool IsDiskFull(IOException error) =>
        error.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);
}
