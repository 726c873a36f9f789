#!/usr/bin/env python3
"""Generates Conduit.Dicom's data dictionary and UID dictionary from dcmtk's data files.

Run from the repository root (python3 standard library only):

    python3 tools/DictionaryGen/generate.py [--dcmtk-dict DIR] [--dcmtk-include DIR]

Sources (Debian/Ubuntu packages libdcmtk17 and libdcmtk-dev, dcmtk 3.6.7, PS3.6 2022b):
  * /usr/share/libdcmtk17/dicom.dic    public tags: tab-separated tag, VR, keyword, VM, version
  * /usr/share/libdcmtk17/private.dic  private tags: (gggg,"CREATOR",ee), VR, keyword, VM, version
  * /usr/include/dcmtk/dcmdata/dcuid.h `#define UID_xxx "1.2.840..."`, grouped by comments
  * EXTRA_UIDS below: transfer syntaxes and storage SOP classes added to PS3.6 after 2022b
    (checked against published PS3.6 Table A-1 listings; only UIDs that could be confirmed).

Outputs (committed; re-run after changing this script):
  * src/Conduit.Dicom/Dictionary/DicomDictionary.g.cs  every entry, as one compact text table
    parsed once at start-up (see DicomDictionary.Table.cs) - a C# array of ~7,500 `new(...)`
    expressions compiles and JITs much more slowly than one string literal.
  * src/Conduit.Dicom/Dictionary/DicomTags.g.cs        a DicomTag field per public keyword
  * src/Conduit.Dicom/Dictionary/DicomUids.g.cs        UID constants and the UID table

Mapping decisions:
  * Keywords: dcmtk prefixes retired keywords with RETIRED_; the prefix is removed and the
    version column (DICOM/retired) sets IsRetired instead.
  * Names: dicom.dic carries only keywords, so the attribute name is derived from the keyword
    by splitting CamelCase into words while keeping acronyms together ("SOPInstanceUID" ->
    "SOP Instance UID", "OtherPatientIDsSequence" -> "Other Patient IDs Sequence",
    "XRay3DAcquisitionSequence" -> "X-Ray 3D Acquisition Sequence"). They are close to, but
    not always identical with, the PS3.6 names ("PatientName" -> "Patient Name", PS3.6 says
    "Patient's Name"). The same applies to UID names other than transfer syntaxes.
  * dcmtk pseudo-VRs (dcvr.h) become real VR lists, the one used for implicit VR first:
      xs -> US, SS      ox -> OW, OB      px -> OW, OB (pixel data)
      lt -> OW, US, SS  (LUT Data; PS3.5 A.1 encodes it as OW in implicit VR)
      up -> UL          na -> None (item and delimitation items)
  * Repeating groups: dcmtk writes (6000-60FF,3000) for PS3.6's (60xx,3000); the range means
    even groups only, so the mask is 0xFF01FFFF (x digits free, low bit fixed to 0) and the tag
    has the x digits zero. Element ranges such as (0020,3100-31FF) become mask 0xFFFFFF00.
  * dcmtk's catch-all lines (GENERIC/PRIVATE/ILLEGAL group length and private creator ranges)
    are skipped: DicomDictionary.Find handles group length and private creators itself.
  * Private tags: (gggg,"CREATOR",ee) and (gggg,"CREATOR",xxee) give Tag = (gggg,00ee),
    Mask = 0xFFFF00FF, PrivateCreator = CREATOR. Lines with group ranges (gggg-o-gggg) cannot
    be keyed by a single group and are skipped. Later lines override earlier ones, as in dcmtk.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO, "src", "Conduit.Dicom", "Dictionary")

REAL_VRS = set(
    "AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV".split()
)
PSEUDO_VRS = {
    "xs": ["US", "SS"],
    "ox": ["OW", "OB"],
    "px": ["OW", "OB"],
    "lt": ["OW", "US", "SS"],
    "up": ["UL"],
    "na": ["--"],  # DicomVR.None
}

SEP = "|"


# --------------------------------------------------------------------------- names

_TOKEN = re.compile(
    r"[A-Z]{2,}s(?![a-z])"          # plural acronym: IDs, UIDs
    r"|[A-Z]+[0-9]+(?![a-z])"       # letters with a number: HL7, T1, X0, SPM2
    r"|[A-Z]+(?=[A-Z][a-z])"        # acronym followed by a word: SOP|Instance
    r"|[A-Z]?[a-z]+"                # word
    r"|[A-Z]+"                      # trailing acronym: UID
    r"|[0-9]+[A-Z](?![a-z])"        # 3D
    r"|[0-9]+"
)

# Token sequences that CamelCase splitting gets wrong, fixed up after splitting.
_NAME_FIXES = [
    ("X Ray", "X-Ray"),
    ("Query Retrieve", "Query/Retrieve"),
    ("XAXRF", "XA/XRF"),
    ("C Arm", "C-Arm"),
    ("CTD Ivol", "CTDIvol"),
    ("Multi Frame", "Multi-frame"),
    ("Non Image", "Non-Image"),
    ("Intra Oral", "Intra-Oral"),
    ("Sub Operations", "Sub-operations"),
    ("DICOMUID", "DICOM UID"),
    ("d Bdt", "dB/dt"),
    ("B 1 rms", "B1rms"),
    ("Inm Gy", "in mGy"),
    ("Inm As", "in mAs"),
    ("Inu As", "in uAs"),
    ("Inm A", "in mA"),
    ("Inu A", "in uA"),
    ("Inu S", "in uS"),
]


def name_from_keyword(keyword: str) -> str:
    words = _TOKEN.findall(keyword)
    if "".join(words) != keyword:  # keep anything the tokenizer would lose
        return keyword
    name = " ".join(words)
    padded = f" {name} "
    for wrong, right in _NAME_FIXES:
        padded = padded.replace(f" {wrong} ", f" {right} ")
    return padded.strip()


# --------------------------------------------------------------------------- data dictionary


@dataclass
class Entry:
    tag: int
    mask: int
    keyword: str
    name: str
    vrs: list[str]
    vm: str
    retired: bool
    creator: str | None = None

    def row(self) -> str:
        fields = [
            f"{self.tag:08X}",
            "" if self.mask == 0xFFFFFFFF else f"{self.mask:08X}",
            self.keyword,
            "" if self.name == self.keyword else self.name,
            "/".join(self.vrs),
            self.vm,
            "R" if self.retired else "",
            self.creator or "",
        ]
        for f in fields:
            if SEP in f or "\n" in f or '"""' in f:
                raise ValueError(f"field {f!r} cannot be stored in the table")
        return SEP.join(fields).rstrip(SEP)


def map_vrs(vr: str, where: str) -> list[str]:
    if vr in REAL_VRS:
        return [vr]
    if vr in PSEUDO_VRS:
        return PSEUDO_VRS[vr]
    raise ValueError(f"{where}: unknown VR {vr!r}")


def parse_range(text: str, is_group: bool) -> tuple[int, int] | None:
    """Returns (value, mask) for 'gggg', 'gggg-gggg' (even) or 'gggg-u-gggg'; None for odd-only."""
    m = re.fullmatch(r"([0-9A-Fa-f]{4})(?:-([ou])?-?([0-9A-Fa-f]{4}))?", text)
    if not m:
        raise ValueError(f"bad tag part {text!r}")
    lo = int(m.group(1), 16)
    if m.group(3) is None:
        return lo, 0xFFFF
    kind, hi = m.group(2), int(m.group(3), 16)
    if kind == "o":
        return None
    span = lo ^ hi
    if span & (span + 1) or lo & span:
        raise ValueError(f"range {text!r} is not an aligned block")
    mask = 0xFFFF & ~span
    if is_group and kind is None:
        mask |= 1  # dcmtk: a plain range means even numbers only
    return lo, mask


def read_public(path: str) -> tuple[list[Entry], int]:
    entries: list[Entry] = []
    skipped = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5:
                raise ValueError(f"{path}:{lineno}: expected 5 columns")
            tag_text, vr, keyword, vm, version = cols
            if version in ("GENERIC", "PRIVATE", "ILLEGAL"):
                skipped += 1
                continue
            m = re.fullmatch(r"\(([^,]+),([^)]+)\)", tag_text)
            if not m:
                raise ValueError(f"{path}:{lineno}: bad tag {tag_text!r}")
            g = parse_range(m.group(1), True)
            e = parse_range(m.group(2), False)
            if g is None or e is None:
                skipped += 1
                continue
            retired = version.endswith("/retired")
            if keyword.startswith("RETIRED_"):
                keyword = keyword[len("RETIRED_"):]
                retired = True
            entries.append(Entry(
                tag=(g[0] << 16) | e[0],
                mask=(g[1] << 16) | e[1],
                keyword=keyword,
                name=name_from_keyword(keyword),
                vrs=map_vrs(vr, f"{path}:{lineno}"),
                vm=vm,
                retired=retired,
            ))
    # "Entries may override existing entries": keep the last definition of a tag.
    by_key: dict[tuple[int, int], Entry] = {}
    for en in entries:
        by_key[(en.tag, en.mask)] = en
    return sorted(by_key.values(), key=lambda x: (x.tag, x.mask)), skipped


def read_private(path: str) -> tuple[list[Entry], int]:
    by_key: dict[tuple[str, int, int], Entry] = {}
    skipped = 0
    pattern = re.compile(r'\(([0-9A-Fa-f]{4}),"([^"]*)",([0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})\)')
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            m = pattern.fullmatch(cols[0])
            if len(cols) < 4 or not m:
                skipped += 1
                continue
            group = int(m.group(1), 16)
            creator = m.group(2).strip()
            element = int(m.group(3), 16) & 0xFF
            vr = cols[1]
            if (vr not in REAL_VRS and vr not in PSEUDO_VRS) or not creator or SEP in creator:
                skipped += 1
                continue
            keyword = cols[2]
            by_key[(creator, group, element)] = Entry(
                tag=(group << 16) | element,
                mask=0xFFFF00FF,
                keyword=keyword,
                name=name_from_keyword(keyword),
                vrs=map_vrs(vr, f"{path}:{lineno}"),
                vm=cols[3],
                retired=False,
                creator=creator,
            )
    return sorted(by_key.values(), key=lambda x: (x.creator or "", x.tag)), skipped


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

HEADER = "// <auto-generated>\n//   Generated by tools/DictionaryGen/generate.py from {src}.\n//   Do not edit by hand; re-run the generator instead.\n// </auto-generated>\n"


def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def emit_dictionary(public: list[Entry], private: list[Entry]) -> None:
    rows = [e.row() for e in public] + [e.row() for e in private]
    out = [HEADER.format(src="dcmtk's dicom.dic and private.dic"), "namespace Conduit.Dicom;\n\n"]
    out.append("public static partial class DicomDictionary\n{\n")
    out.append(f"    internal const int PublicEntryCount = {len(public)};\n")
    out.append(f"    internal const int PrivateEntryCount = {len(private)};\n\n")
    out.append("    // tag|mask (empty = FFFFFFFF)|keyword|name (empty = keyword)|VRs (/-separated, -- = none)|VM|R = retired|private creator\n")
    out.append('    private const string Table = """\n')
    out.extend(r + "\n" for r in rows)
    out.append('""";\n\n')
    # Index data, constant (no code runs to build it): where each row starts in Table, the public entries with an exact
    # tag (sorted, for a binary search) and their rows, and the rows of public entries with a mask. A row is parsed only
    # when it is looked up.
    starts, offset = [], 0
    for r in rows:
        if any(ord(c) > 0xFFFF for c in r):
            raise ValueError(f"row {r!r} has a character outside the BMP: its UTF-16 offset would differ")
        starts.append(offset)
        offset += len(r) + 1
    exact = sorted((e.tag, i) for i, e in enumerate(public) if e.mask == 0xFFFFFFFF)
    if len({t for t, _ in exact}) != len(exact):
        raise ValueError("two public entries share an exact tag")
    masked = [i for i, e in enumerate(public) if e.mask != 0xFFFFFFFF]
    if len(rows) > 0xFFFF:
        raise ValueError("row numbers no longer fit in ushort")
    out.append("    // Start of each row in Table.\n")
    out.append(span_property("int", "RowStarts", [str(v) for v in starts]))
    out.append("    // The public entries whose mask is FFFFFFFF: their tags in ascending order, and each one's row.\n")
    out.append(span_property("uint", "ExactTags", [f"0x{t:08X}" for t, _ in exact]))
    out.append(span_property("ushort", "ExactRows", [str(i) for _, i in exact]))
    out.append("    // The rows of public entries with a mask (repeating groups such as 60xx, element ranges).\n")
    out.append(span_property("ushort", "MaskedRows", [str(i) for i in masked]).rstrip("\n") + "\n}\n")
    write(os.path.join(OUT_DIR, "DicomDictionary.g.cs"), "".join(out))


def span_property(element: str, name: str, values: list[str]) -> str:
    """A ReadOnlySpan property over constant data (the compiler keeps it in the assembly's data: nothing is allocated)."""
    lines = [", ".join(values[i:i + 16]) for i in range(0, len(values), 16)]
    body = ",\n".join("        " + line for line in lines)
    return f"    private static ReadOnlySpan<{element}> {name} =>\n    [\n{body},\n    ];\n\n"


def emit_tags(public: list[Entry]) -> int:
    counts: dict[str, int] = {}
    for e in public:
        counts[e.keyword] = counts.get(e.keyword, 0) + 1
    out = [HEADER.format(src="dcmtk's dicom.dic"), "namespace Conduit.Dicom;\n\n"]
    out.append("/// <summary>Tags of the public data dictionary by keyword (repeating-group tags are left out).</summary>\n")
    out.append("public static partial class DicomTags\n{\n")
    n = 0
    for e in public:
        if e.mask != 0xFFFFFFFF or counts[e.keyword] != 1 or not IDENT.fullmatch(e.keyword) or e.keyword == "DicomTags":
            continue
        retired = ", retired" if e.retired else ""
        tag = f"({e.tag >> 16:04X},{e.tag & 0xFFFF:04X})"
        out.append(f"    /// <summary>{tag} {e.name} - {'/'.join(e.vrs)}, VM {e.vm}{retired}</summary>\n")
        out.append(f"    public static readonly DicomTag {e.keyword} = new(0x{e.tag:08X});\n")
        n += 1
    out.append("}\n")
    write(os.path.join(OUT_DIR, "DicomTags.g.cs"), "".join(out))
    return n


# --------------------------------------------------------------------------- UIDs

# PS3.6 Table A-1 keywords for transfer syntaxes (dcmtk's identifiers differ).
TS_KEYWORDS = {
    "1.2.840.10008.1.2": "ImplicitVRLittleEndian",
    "1.2.840.10008.1.2.1": "ExplicitVRLittleEndian",
    "1.2.840.10008.1.2.1.98": "EncapsulatedUncompressedExplicitVRLittleEndian",
    "1.2.840.10008.1.2.1.99": "DeflatedExplicitVRLittleEndian",
    "1.2.840.10008.1.2.2": "ExplicitVRBigEndian",
    "1.2.840.10008.1.2.4.50": "JPEGBaseline8Bit",
    "1.2.840.10008.1.2.4.51": "JPEGExtended12Bit",
    "1.2.840.10008.1.2.4.52": "JPEGExtended35",
    "1.2.840.10008.1.2.4.53": "JPEGSpectralSelectionNonHierarchical68",
    "1.2.840.10008.1.2.4.54": "JPEGSpectralSelectionNonHierarchical79",
    "1.2.840.10008.1.2.4.55": "JPEGFullProgressionNonHierarchical1012",
    "1.2.840.10008.1.2.4.56": "JPEGFullProgressionNonHierarchical1113",
    "1.2.840.10008.1.2.4.57": "JPEGLossless",
    "1.2.840.10008.1.2.4.58": "JPEGLosslessNonHierarchical15",
    "1.2.840.10008.1.2.4.59": "JPEGExtendedHierarchical1618",
    "1.2.840.10008.1.2.4.60": "JPEGExtendedHierarchical1719",
    "1.2.840.10008.1.2.4.61": "JPEGSpectralSelectionHierarchical2022",
    "1.2.840.10008.1.2.4.62": "JPEGSpectralSelectionHierarchical2123",
    "1.2.840.10008.1.2.4.63": "JPEGFullProgressionHierarchical2426",
    "1.2.840.10008.1.2.4.64": "JPEGFullProgressionHierarchical2527",
    "1.2.840.10008.1.2.4.65": "JPEGLosslessHierarchical28",
    "1.2.840.10008.1.2.4.66": "JPEGLosslessHierarchical29",
    "1.2.840.10008.1.2.4.70": "JPEGLosslessSV1",
    "1.2.840.10008.1.2.4.80": "JPEGLSLossless",
    "1.2.840.10008.1.2.4.81": "JPEGLSNearLossless",
    "1.2.840.10008.1.2.4.90": "JPEG2000Lossless",
    "1.2.840.10008.1.2.4.91": "JPEG2000",
    "1.2.840.10008.1.2.4.92": "JPEG2000MCLossless",
    "1.2.840.10008.1.2.4.93": "JPEG2000MC",
    "1.2.840.10008.1.2.4.94": "JPIPReferenced",
    "1.2.840.10008.1.2.4.95": "JPIPReferencedDeflate",
    "1.2.840.10008.1.2.4.100": "MPEG2MPML",
    "1.2.840.10008.1.2.4.100.1": "MPEG2MPMLF",
    "1.2.840.10008.1.2.4.101": "MPEG2MPHL",
    "1.2.840.10008.1.2.4.101.1": "MPEG2MPHLF",
    "1.2.840.10008.1.2.4.102": "MPEG4HP41",
    "1.2.840.10008.1.2.4.102.1": "MPEG4HP41F",
    "1.2.840.10008.1.2.4.103": "MPEG4HP41BD",
    "1.2.840.10008.1.2.4.103.1": "MPEG4HP41BDF",
    "1.2.840.10008.1.2.4.104": "MPEG4HP422D",
    "1.2.840.10008.1.2.4.104.1": "MPEG4HP422DF",
    "1.2.840.10008.1.2.4.105": "MPEG4HP423D",
    "1.2.840.10008.1.2.4.105.1": "MPEG4HP423DF",
    "1.2.840.10008.1.2.4.106": "MPEG4HP42STEREO",
    "1.2.840.10008.1.2.4.106.1": "MPEG4HP42STEREOF",
    "1.2.840.10008.1.2.4.107": "HEVCMP51",
    "1.2.840.10008.1.2.4.108": "HEVCM10P51",
    "1.2.840.10008.1.2.4.110": "JPEGXLLossless",
    "1.2.840.10008.1.2.4.111": "JPEGXLJPEGRecompression",
    "1.2.840.10008.1.2.4.112": "JPEGXL",
    "1.2.840.10008.1.2.4.201": "HTJ2KLossless",
    "1.2.840.10008.1.2.4.202": "HTJ2KLosslessRPCL",
    "1.2.840.10008.1.2.4.203": "HTJ2K",
    "1.2.840.10008.1.2.4.204": "JPIPHTJ2KReferenced",
    "1.2.840.10008.1.2.4.205": "JPIPHTJ2KReferencedDeflate",
    "1.2.840.10008.1.2.5": "RLELossless",
    "1.2.840.10008.1.2.6.1": "RFC2557MIMEEncapsulation",
    "1.2.840.10008.1.2.6.2": "XMLEncoding",
    "1.2.840.10008.1.2.7.1": "SMPTEST211020UncompressedProgressiveActiveVideo",
    "1.2.840.10008.1.2.7.2": "SMPTEST211020UncompressedInterlacedActiveVideo",
    "1.2.840.10008.1.2.7.3": "SMPTEST211030PCMDigitalAudio",
    "1.2.840.10008.1.2.8.1": "DeflatedImageFrameCompression",
    "1.2.840.113619.5.2": "GEPrivateImplicitVRLittleEndianBigEndianPixelData",
}

TS_NAME_FIXES = {
    "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
    "1.2.840.10008.1.2.4.101": "MPEG2 Main Profile / High Level",
    "1.2.840.10008.1.2.6.1": "RFC 2557 MIME encapsulation",
    "1.2.840.10008.1.2.6.2": "XML Encoding",
    "1.2.840.113619.5.2": "GE Private Implicit VR Little Endian with Big Endian Pixel Data (non-standard)",
}

# (uid, keyword, name, type, retired): UIDs newer than dcmtk 3.6.7's dcuid.h.
EXTRA_UIDS = [
    ("1.2.840.10008.1.2.1.98", "EncapsulatedUncompressedExplicitVRLittleEndian", "Encapsulated Uncompressed Explicit VR Little Endian", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.100.1", "MPEG2MPMLF", "Fragmentable MPEG2 Main Profile / Main Level", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.101.1", "MPEG2MPHLF", "Fragmentable MPEG2 Main Profile / High Level", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.102.1", "MPEG4HP41F", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.103.1", "MPEG4HP41BDF", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.104.1", "MPEG4HP422DF", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.105.1", "MPEG4HP423DF", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.106.1", "MPEG4HP42STEREOF", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.110", "JPEGXLLossless", "JPEG XL Lossless", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.111", "JPEGXLJPEGRecompression", "JPEG XL JPEG Recompression", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.112", "JPEGXL", "JPEG XL", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.201", "HTJ2KLossless", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.202", "HTJ2KLosslessRPCL", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.203", "HTJ2K", "High-Throughput JPEG 2000 Image Compression", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.204", "JPIPHTJ2KReferenced", "JPIP HTJ2K Referenced", "TransferSyntax", False),
    ("1.2.840.10008.1.2.4.205", "JPIPHTJ2KReferencedDeflate", "JPIP HTJ2K Referenced Deflate", "TransferSyntax", False),
    ("1.2.840.10008.1.2.8.1", "DeflatedImageFrameCompression", "Deflated Image Frame Compression", "TransferSyntax", False),
    ("1.2.840.10008.5.1.4.1.1.6.3", "PhotoacousticImageStorage", "Photoacoustic Image Storage", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.66.7", "LabelMapSegmentationStorage", "Label Map Segmentation Storage", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.66.8", "HeightMapSegmentationStorage", "Height Map Segmentation Storage", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.77.1.8", "ConfocalMicroscopyImageStorage", "Confocal Microscopy Image Storage", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.77.1.9", "ConfocalMicroscopyTiledPyramidalImageStorage", "Confocal Microscopy Tiled Pyramidal Image Storage", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.201.1", "InventoryStorage", "Inventory Storage", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.201.2", "InventoryFind", "Inventory - FIND", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.201.3", "InventoryMove", "Inventory - MOVE", "SopClass", False),
    ("1.2.840.10008.5.1.4.1.1.201.4", "InventoryGet", "Inventory - GET", "SopClass", False),
]


@dataclass
class Uid:
    uid: str
    keyword: str
    name: str
    type: str
    retired: bool


def uid_section_type(section: str, ident: str) -> str | None:
    s = section.lower()
    if "transfer syntax" in s:
        return "TransferSyntax"
    if "frame of reference" in s:
        return "WellKnownFrameOfReference"
    if "coding scheme" in s:
        return "CodingScheme"
    if "ldap" in s:
        return "LdapOid"
    if "private dcmtk" in s:
        return None
    if "mapping resource" in s or "application hosting" in s:
        return "Other"
    if ident.endswith("MetaSOPClass"):
        return "MetaSopClass"
    if ident.endswith("SOPInstance"):
        return "WellKnownSopInstance"
    if ident.endswith("ServiceClass"):
        return "Other"
    if ident == "StandardApplicationContext":
        return "ApplicationContext"
    return "SopClass"


def uid_keyword(ident: str) -> tuple[str, str]:
    """(keyword, name) for a dcmtk identifier without UID_/RETIRED_/DRAFT_ prefixes."""
    suffix = ""
    m = re.match(r"(FIND|MOVE|GET)(?=[A-Z])", ident)
    if m:
        ident = ident[len(m.group(1)):]
        suffix = m.group(1)
    name = name_from_keyword(ident.replace("_", ""))
    keyword = ident.replace("_", "")
    if keyword.endswith("SOPClass"):
        keyword = keyword[: -len("SOPClass")]
    elif keyword.endswith("SOPInstance"):
        keyword = keyword[: -len("SOPInstance")] + "Instance"
    if suffix:
        keyword += suffix.capitalize()
        name += " - " + suffix
    return keyword, name


def read_uids(path: str) -> list[Uid]:
    uids: list[Uid] = []
    section = ""
    comment: list[str] = []
    in_block = False
    define = re.compile(r'#define\s+UID_(\w+)\s+"([0-9.]+)"')
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if in_block:
                comment.append(line.lstrip("*/ ").rstrip("*/ "))
                if line.endswith("*/"):
                    in_block = False
                continue
            if line.startswith("** ") and ("UID" in line or "DCMTK" in line):
                section = line[3:]
                comment = []
                continue
            if line.startswith("/* DRAFT"):
                section = "draft"
                continue
            if line.startswith("/**"):
                comment = [line[3:].strip().rstrip("*/ ")]
                in_block = not line.endswith("*/")
                continue
            if line.startswith("///"):
                comment = [line[3:].strip()]
                continue
            if line.startswith("//") and section.lower().startswith(("defined sop", "all other", "private")):
                section = section.split(":")[0] + ": " + line[2:].strip()
                continue
            m = define.match(line)
            if not m:
                if not line:
                    comment = []
                continue
            ident, value = m.group(1), m.group(2)
            if value.endswith("."):
                comment = []
                continue
            retired = False
            trial = False
            if ident.startswith("RETIRED_"):
                ident, retired = ident[len("RETIRED_"):], True
            if ident.startswith("DRAFT_"):
                ident, retired, trial = ident[len("DRAFT_"):], True, True
            if ident.startswith("LDAP_"):
                ident = ident[len("LDAP_"):]
            kind = uid_section_type(section, ident)
            if kind is None:
                comment = []
                continue
            if kind == "TransferSyntax":
                text = " ".join(c for c in comment if c).strip()
                if "RETIRED" in text:
                    retired = True
                text = re.sub(r"\s*-\s*RETIRED$", "", text)
                name = TS_NAME_FIXES.get(value, text)
                keyword = TS_KEYWORDS[value]
            elif kind == "LdapOid":
                keyword, name = ident, ident
            else:
                keyword, name = uid_keyword(ident)
            if trial:
                keyword += "Trial"
                name += " - Trial"
            uids.append(Uid(value, keyword, name, kind, retired))
            comment = []
    return uids


def emit_uids(uids: list[Uid]) -> None:
    out = [HEADER.format(src="dcmtk's dcuid.h and PS3.6 Table A-1 additions"), "namespace Conduit.Dicom;\n\n"]
    out.append("/// <summary>Well-known DICOM UIDs by keyword (PS3.6 Annex A).</summary>\n")
    out.append("public static partial class DicomUids\n{\n")
    for u in uids:
        retired = " (retired)" if u.retired else ""
        out.append(f"    /// <summary>{u.name}{retired}</summary>\n")
        out.append(f'    public const string {u.keyword} = "{u.uid}";\n')
    out.append("\n    internal static DicomUidInfo[] CreateInfos() =>\n    [\n")
    for u in uids:
        name = u.name.replace("\\", "\\\\").replace('"', '\\"')
        retired = "true" if u.retired else "false"
        out.append(f'        new({u.keyword}, nameof({u.keyword}), "{name}", DicomUidType.{u.type}, {retired}),\n')
    out.append("    ];\n}\n")
    write(os.path.join(OUT_DIR, "DicomUids.g.cs"), "".join(out))


def uid_sort_key(uid: str) -> list[int]:
    return [int(p) for p in uid.split(".")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dcmtk-dict", default="/usr/share/libdcmtk17")
    ap.add_argument("--dcmtk-include", default="/usr/include/dcmtk/dcmdata")
    args = ap.parse_args()

    public, skipped_public = read_public(os.path.join(args.dcmtk_dict, "dicom.dic"))
    private, skipped_private = read_private(os.path.join(args.dcmtk_dict, "private.dic"))
    emit_dictionary(public, private)
    tag_fields = emit_tags(public)

    uids = read_uids(os.path.join(args.dcmtk_include, "dcuid.h"))
    known = {u.uid for u in uids}
    for uid, keyword, name, kind, retired in EXTRA_UIDS:
        if uid not in known:
            uids.append(Uid(uid, keyword, name, kind, retired))
    uids.sort(key=lambda u: uid_sort_key(u.uid))
    # A retired UID whose keyword was reused by its successor gets PS3.6's "Retired" suffix.
    current = {u.keyword for u in uids if not u.retired}
    for u in uids:
        if u.retired and u.keyword in current:
            u.keyword += "Retired"
    seen_kw: set[str] = set()
    seen_uid: set[str] = set()
    for u in uids:
        if u.keyword in seen_kw or u.uid in seen_uid or not IDENT.fullmatch(u.keyword):
            raise ValueError(f"duplicate or invalid UID entry {u}")
        seen_kw.add(u.keyword)
        seen_uid.add(u.uid)
    emit_uids(uids)

    print(f"public entries: {len(public)} (skipped {skipped_public} catch-all lines)")
    print(f"private entries: {len(private)} (skipped {skipped_private} lines)")
    print(f"DicomTags fields: {tag_fields}")
    print(f"UIDs: {len(uids)} ({sum(u.type == 'TransferSyntax' for u in uids)} transfer syntaxes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
