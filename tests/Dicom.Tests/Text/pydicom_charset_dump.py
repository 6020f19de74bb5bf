"""Dumps every character-set-dependent element of a DICOM file as pydicom 2.x decodes it.

Used by the CharacterSets tests as a peer implementation: for each element of each file given on the
command line, one tab-separated line
    file-name  tag  VR  specific-character-set-raw-hex  value-raw-hex  pydicom-decoded-utf8-hex
Nested datasets inherit the Specific Character Set of their parent unless they carry their own
(PS3.5 7.5 / PS3.3 C.12.1.1.2). Multi-valued strings are split on 0x5C the way pydicom does.
"""
import os
import sys
import pydicom
from pydicom.charset import convert_encodings, decode_bytes
from pydicom.valuerep import PN_DELIMS, TEXT_VR_DELIMS

CHARSET_VRS = {"SH", "LO", "ST", "LT", "UC", "UT", "PN"}
TEXT_VRS = {"ST", "LT", "UT"}


def expected(vr, raw, encodings):
    if vr in TEXT_VRS:
        return decode_bytes(raw, encodings, TEXT_VR_DELIMS)
    values = raw.split(b"\\")
    if vr == "PN":
        return "\\".join(
            "=".join(decode_bytes(g, encodings, PN_DELIMS) for g in v.split(b"="))
            for v in values)
    return "\\".join(decode_bytes(v, encodings, TEXT_VR_DELIMS) for v in values)


def raw_bytes(ds, tag):
    item = ds.get_item(tag)
    value = item.value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if value is None:
        return b""
    # Already converted by pydicom (it reads Specific Character Set eagerly): rebuild the value bytes.
    if isinstance(value, str):
        return value.encode("ascii")
    return "\\".join(str(v) for v in value).encode("ascii")


def walk(name, ds, charset_raw):
    if 0x00080005 in ds:
        charset_raw = raw_bytes(ds, 0x00080005)
    terms = [t.strip() for t in charset_raw.decode("ascii").split("\\")] if charset_raw else [""]
    encodings = convert_encodings(terms)
    for tag in sorted(ds.keys()):
        # Take the undecoded bytes before ds[tag] converts (and decodes) the element.
        raw = raw_bytes(ds, tag)
        elem = ds[tag]
        if elem.VR == "SQ":
            for item in elem.value:
                walk(name, item, charset_raw)
            continue
        if elem.VR not in CHARSET_VRS or not raw:
            continue
        text = expected(elem.VR, bytes(raw), encodings)
        print("%s\t%08X\t%s\t%s\t%s\t%s" % (name, int(tag), elem.VR, charset_raw.hex(), bytes(raw).hex(),
                                        text.encode("utf-8").hex()))


def main():
    for path in sys.argv[1:]:
        walk(os.path.basename(path), pydicom.dcmread(path), b"")


if __name__ == "__main__":
    main()
