// Pure image functions: the DICOM linear VOI window (PS3.3 C.11.2.1.2.1), brightness/contrast, look-up tables.

/**
 * Linear VOI function of PS3.3 C.11.2.1.2.1 to an 8-bit output (ymin 0, ymax 255):
 *   x <= c - 0.5 - (w-1)/2 -> 0;  x > c - 0.5 + (w-1)/2 -> 255;
 *   else y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255.
 * Rounded to the nearest integer. w must be >= 1 (w = 1 is a threshold at c - 0.5).
 */
export function voiLinear(x, c, w) {
  if (w <= 1) return x <= c - 0.5 ? 0 : 255;
  const lo = c - 0.5 - (w - 1) / 2, hi = c - 0.5 + (w - 1) / 2;
  if (x <= lo) return 0;
  if (x > hi) return 255;
  return Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
}

/** Brightness (−100…100) and contrast (−100…100) after the window; both 0 leave the value unchanged. */
export function adjust(v, brightness, contrast) {
  if (!brightness && !contrast) return v;
  const k = contrast >= 0 ? 1 + contrast / 25 : 1 + contrast / 125;
  const y = (v - 127.5) * k + 127.5 + brightness * 1.275;
  return y <= 0 ? 0 : y >= 255 ? 255 : Math.round(y);
}

/**
 * A 65,536-entry RGBA (little-endian ABGR words) table indexed by Int16 value + 32768. Only the window's ramp is
 * computed value by value; the flat parts below and above it are filled (the same rule as voiLinear, inlined:
 * x <= lo -> 0, x > hi -> 255, the line in between).
 */
export function buildLut(c, w, { invert = false, brightness = 0, contrast = 0 } = {}) {
  const lut = new Uint32Array(65536);
  if (!Number.isFinite(c) || !Number.isFinite(w)) return lut.fill(0xff000000); // no usable window: black
  const plain = !brightness && !contrast;
  const word = v => {
    if (!plain) v = adjust(v, brightness, contrast);
    if (invert) v = 255 - v;
    return (0xff000000 | (v << 16) | (v << 8) | v) >>> 0;
  };
  const off = c - 0.5;
  const lo = w <= 1 ? off : off - (w - 1) / 2, hi = w <= 1 ? off : off + (w - 1) / 2, k = w <= 1 ? 0 : 255 / (w - 1);
  // Table indexes: [0, a) is at or below lo, [a, b) the ramp, [b, 65536) above hi.
  const index = x => Math.max(0, Math.min(65536, Math.floor(x) + 1 + 32768));
  const a = index(lo), b = Math.max(a, index(hi));
  lut.fill(word(0), 0, a);
  for (let i = a; i < b; i++) lut[i] = word(Math.round((i - 32768 - off) * k + 127.5));
  lut.fill(word(255), b);
  return lut;
}

// The per-pixel table look-up as a small WebAssembly function: the JavaScript loop runs in the interpreter the first
// time (tens of ms for a 512x512 slice before the optimizing compiler takes over, on the first image shown), while
// the WebAssembly baseline compiler makes it fast from the first call. Hand-assembled from:
//   (func (export "lut") (param $src i32) (param $n i32) (param $lut i32) (param $dst i32)
//     (block (loop
//       (br_if 1 (i32.eqz (local.get $n)))
//       (i32.store (local.get $dst) (i32.load (i32.add (local.get $lut)
//         (i32.shl (i32.add (i32.load16_s (local.get $src)) (i32.const 32768)) (i32.const 2)))))
//       (local.set $src (i32.add (local.get $src) (i32.const 2)))
//       (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
//       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
//       (br 0))))
// with the memory imported as m.mem. Memory layout: the table at 0 (256 KiB), the Int16 values, then the output.
const WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00,
  0x02, 0x0a, 0x01, 0x01, 0x6d, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x07, 0x01, 0x03, 0x6c, 0x75, 0x74, 0x00, 0x00,
  0x0a, 0x3e, 0x01, 0x3c, 0x00,
  0x02, 0x40, 0x03, 0x40,
  0x20, 0x01, 0x45, 0x0d, 0x01,
  0x20, 0x03, 0x20, 0x02, 0x20, 0x00, 0x2e, 0x01, 0x00, 0x41, 0x80, 0x80, 0x02, 0x6a, 0x41, 0x02, 0x74, 0x6a,
  0x28, 0x02, 0x00, 0x36, 0x02, 0x00,
  0x20, 0x00, 0x41, 0x02, 0x6a, 0x21, 0x00,
  0x20, 0x03, 0x41, 0x04, 0x6a, 0x21, 0x03,
  0x20, 0x01, 0x41, 0x01, 0x6b, 0x21, 0x01,
  0x0c, 0x00, 0x0b, 0x0b, 0x0b,
]);
const LUT_BYTES = 65536 * 4;
// { memory, run, lut, image } once compiled (in the background, when this module is loaded); null before, and when
// WebAssembly is unavailable (the JavaScript loop is used then).
let wasm = null;
const memory = typeof WebAssembly === 'object' ? new WebAssembly.Memory({ initial: 32 }) : null; // 2 MiB: table + one 512x512 slice in and out
const compiled = memory ? WebAssembly.instantiate(WASM, { m: { mem: memory } })
  .then(r => { wasm = { memory, run: r.instance.exports.lut, lut: null, image: null }; }, () => {}) : Promise.resolve();

function kernel() { return wasm; }

/**
 * Resolves once the look-up kernel is compiled; its memory is then sized for slices of n pixels and written once, so
 * that its pages are mapped before the first slice arrives rather than while it is drawn.
 */
export async function prepareLut(n = 0) {
  await compiled;
  const k = kernel();
  if (k && n) new Uint8Array(k.memory.buffer, 0, reserve(k, n) + n * 4).fill(0);
}

function reserve(k, n) {
  const dst = LUT_BYTES + ((n * 2 + 3) & ~3), end = dst + n * 4;
  if (k.memory.buffer.byteLength < end) { k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / 65536)); k.lut = null; k.image = null; }
  return dst;
}

/**
 * The windowed image (each Int16 value through the table) as an ImageData of cols x rows for putImageData. With
 * WebAssembly the ImageData lies in the kernel's memory (no extra copy) and is valid until the next call; without,
 * imageData (reused when it has the size) is filled.
 */
export function applyLut(hu, lut, cols, rows, imageData = null) {
  const k = kernel();
  const n = hu.length;
  if (k) {
    const dst = reserve(k, n);
    const buf = k.memory.buffer;
    if (k.lut !== lut) { new Uint32Array(buf, 0, 65536).set(lut); k.lut = lut; }
    new Int16Array(buf, LUT_BYTES, n).set(hu);
    k.run(LUT_BYTES, n, 0, dst);
    if (k.image?.width !== cols || k.image?.height !== rows || k.image.data.buffer !== buf)
      k.image = new ImageData(new Uint8ClampedArray(buf, dst, n * 4), cols, rows);
    return k.image;
  }
  if (imageData?.width !== cols || imageData?.height !== rows) imageData = new ImageData(cols, rows);
  const out = new Uint32Array(imageData.data.buffer);
  for (let i = 0; i < n; i++) out[i] = lut[hu[i] + 32768];
  return imageData;
}

export const PRESETS = {
  lung: { label: 'Lung', wc: -600, ww: 1500, key: '1' },
  mediastinum: { label: 'Mediastinum', wc: 50, ww: 350, key: '2' },
  bone: { label: 'Bone', wc: 480, ww: 2500, key: '3' },
  brain: { label: 'Brain', wc: 40, ww: 80, key: '4' },
};
