#!/usr/bin/python3
"""Test helper for the codec tests: uses pydicom (Debian's python3-pydicom) as the peer that splits and writes files.

  frames IN OUTDIR           write info.json and frame_<n>.bin (compressed bytes of each frame)
  native IN OUT.bin          write info.json next to OUT.bin and the raw bytes of (7FE0,0010)
  encapsulate TEMPLATE OUT TS FRAME...   copy TEMPLATE, replace Pixel Data by the given frames, encapsulated, with TS
  synth KIND OUT             write an uncompressed Explicit VR Little Endian file (see synth())
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def info(ds):
    return {
        "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samplesPerPixel": int(ds.SamplesPerPixel),
        "bitsAllocated": int(ds.BitsAllocated),
        "bitsStored": int(ds.BitsStored),
        "pixelRepresentation": int(ds.PixelRepresentation),
        "planarConfiguration": int(ds.get("PlanarConfiguration", 0) or 0),
        "numberOfFrames": int(ds.get("NumberOfFrames", 1) or 1),
        "photometricInterpretation": str(ds.PhotometricInterpretation),
    }


def frames(path, outdir):
    ds = pydicom.dcmread(path)
    meta = info(ds)
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for n, frame in enumerate(generate_pixel_data_frame(ds.PixelData, meta["numberOfFrames"]), 1):
        with open(os.path.join(outdir, "frame_%d.bin" % (n - 1)), "wb") as f:
            f.write(frame)
    meta["framesWritten"] = n
    with open(os.path.join(outdir, "info.json"), "w") as f:
        json.dump(meta, f)


def native(path, out):
    ds = pydicom.dcmread(path)
    with open(out, "wb") as f:
        f.write(ds.PixelData)
    with open(out + ".json", "w") as f:
        json.dump(info(ds), f)


def encapsulate_file(template, out, ts, frame_files):
    ds = pydicom.dcmread(template)
    data = []
    for name in frame_files:
        with open(name, "rb") as f:
            data.append(f.read())
    ds.PixelData = encapsulate(data)
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = ts
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    if len(data) > 1:
        ds.NumberOfFrames = len(data)
    ds.save_as(out, write_like_original=False)


def synth(kind, out):
    rng = np.random.default_rng(12345)
    frames_ = 1
    photometric = "MONOCHROME2"
    signed = 0
    if kind == "ct512":
        # CT-like: a disc of soft tissue with noise and a bright rim in air, 12 bits stored in 16, signed.
        y, x = np.mgrid[0:512, 0:512]
        r = np.hypot(x - 256, y - 256)
        img = np.where(r < 200, 40 + rng.normal(0, 20, (512, 512)), -1000 + rng.normal(0, 5, (512, 512)))
        img = np.where((r > 185) & (r < 200), 900 + rng.normal(0, 60, (512, 512)), img)
        arr = np.clip(img, -2048, 2047).astype(np.int16)
        bits_stored, signed = 16, 1
    elif kind == "jump16":
        # Alternating 0 and 32768 makes predictor differences of exactly 32768 (SSSS = 16, T.81 H.1.2.2).
        arr = np.zeros((16, 32), np.uint16)
        arr[:, 1::2] = 32768
        arr[1::2, :] ^= 32768
        arr[5, 7] = 65535
        bits_stored = 16
    elif kind == "random12":
        arr = rng.integers(0, 4096, (37, 53), dtype=np.uint16)
        bits_stored = 12
    elif kind == "multiframe16":
        arr = rng.integers(0, 65536, (3, 20, 24), dtype=np.uint16)
        arr[1] = np.cumsum(np.ones((20, 24), np.uint16), axis=1) * 1000
        frames_ = 3
        bits_stored = 16
    elif kind == "gray8":
        y, x = np.mgrid[0:45, 0:67]
        arr = ((x * 3 + y * 5) % 256).astype(np.uint8)
        arr[10:20, 10:30] = rng.integers(0, 256, (10, 20), dtype=np.uint8)
        bits_stored = 8
    else:
        raise SystemExit("unknown synth kind " + kind)

    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.PatientName = "Codec^Test"
    ds.PatientID = "CODEC"
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.Rows, ds.Columns = arr.shape[-2], arr.shape[-1]
    if frames_ > 1:
        ds.NumberOfFrames = frames_
    ds.BitsAllocated = arr.dtype.itemsize * 8
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = signed
    ds.PixelData = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(out, write_like_original=False)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "frames":
        frames(sys.argv[2], sys.argv[3])
    elif cmd == "native":
        native(sys.argv[2], sys.argv[3])
    elif cmd == "encapsulate":
        encapsulate_file(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif cmd == "synth":
        synth(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("unknown command " + cmd)
