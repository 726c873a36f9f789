namespace Conduit.Dicom;

public sealed partial class DicomFile
{
    private static readonly DicomTag FileMetaInformationVersion = new(0x00020001);
    private static readonly DicomTag MediaStorageSOPClassUID = new(0x00020002);
    private static readonly DicomTag MediaStorageSOPInstanceUID = new(0x00020003);
    private static readonly DicomTag TransferSyntaxUID = new(0x00020010);
    private static readonly DicomTag ImplementationClassUID = new(0x00020012);
    private static readonly DicomTag ImplementationVersionName = new(0x00020013);
    private static readonly DicomTag SourceApplicationEntityTitle = new(0x00020016);
    private static readonly DicomTag SOPClassUID = new(0x00080016);
    private static readonly DicomTag SOPInstanceUID = new(0x00080018);

    /// <summary>A File Meta group for a data set about to be written by Conduit (PS3.10 §7.1).</summary>
    public static DicomDataset CreateFileMeta(string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax, string? sourceAeTitle = null)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        meta.AddOrUpdate(MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        meta.AddOrUpdate(TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        if (!string.IsNullOrEmpty(sourceAeTitle)) meta.AddOrUpdate(SourceApplicationEntityTitle, DicomVR.AE, sourceAeTitle);
        return meta;
    }

    /// <summary>
    /// Writes the file in <paramref name="syntax"/> (default: its own). The File Meta is kept, with the transfer syntax,
    /// SOP references and Conduit's implementation identity brought up to date. Converts only between syntaxes whose
    /// Pixel Data encoding is the same (the three uncompressed ones and deflate).
    /// </summary>
    public void WriteTo(Stream stream, DicomTransferSyntax? syntax = null)
    {
        var target = syntax ?? TransferSyntax;
        if (target.Uid != TransferSyntax.Uid && (target.IsEncapsulated || TransferSyntax.IsEncapsulated))
            throw new NotSupportedException($"Cannot convert {TransferSyntax} to {target}: Conduit does not transcode compressed pixel data.");

        var meta = new DicomDataset();
        foreach (var item in Meta) meta.Add(item);
        if (!meta.Contains(FileMetaInformationVersion)) meta.AddOrUpdate(FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        if (Dataset.TryGetString(SOPClassUID, out var sopClass) && sopClass.Length > 0) meta.AddOrUpdate(MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        if (Dataset.TryGetString(SOPInstanceUID, out var sopInstance) && sopInstance.Length > 0) meta.AddOrUpdate(MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        meta.AddOrUpdate(TransferSyntaxUID, DicomVR.UI, target.Uid);
        meta.AddOrUpdate(ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);

        DicomWriter.WriteFileMeta(stream, meta, Preamble);
        DicomWriter.WriteDataset(stream, Dataset, target);
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public void Save(string path, DicomTransferSyntax? syntax = null)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                WriteTo(fs, syntax);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
