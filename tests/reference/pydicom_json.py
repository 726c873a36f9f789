#!/usr/bin/python3
"""Reference side of Conduit's DICOM JSON conformance test.

Usage: /usr/bin/python3 pydicom_json.py FILE...

Writes a JSON array to stdout with one entry per FILE, in order: the
PS3.18 Annex F (DICOM JSON Model) form of the file's data set as produced
by pydicom's Dataset.to_json_dict(), without the File Meta Information
(group 0002). Bulk data is always written as InlineBinary. A file pydicom
cannot read or convert gives {"__error__": "<message>"} instead.

Written for Debian 12's python3-pydicom (2.3); see docs/conformance.md for
the ways its output departs from PS3.18 and how the test treats them.
"""

import json
import sys

import pydicom

# With no bulk data handler pydicom always writes InlineBinary; the high
# threshold keeps that true should a handler ever be passed by default.
_INLINE_EVERYTHING = 1 << 62


def dataset_json(path):
    ds = pydicom.dcmread(path, force=True)
    # A file with File Meta but no preamble and no "DICM" can leave group 0002
    # in the data set itself when read with force=True; the test compares
    # data sets only.
    for tag in [t for t in ds.keys() if t.group == 0x0002]:
        del ds[tag]
    return ds.to_json_dict(bulk_data_threshold=_INLINE_EVERYTHING)


def main(paths):
    results = []
    for path in paths:
        try:
            results.append(dataset_json(path))
        except Exception as exc:  # one bad file must not hide the others
            results.append({"__error__": f"{type(exc).__name__}: {exc}"})
    json.dump(results, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
