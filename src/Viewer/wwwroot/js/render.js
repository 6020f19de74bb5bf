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

/** A 65,536-entry RGBA (little-endian ABGR words) table indexed by Int16 value + 32768. */
export function buildLut(c, w, { invert = false, brightness = 0, contrast = 0 } = {}) {
  const lut = new Uint32Array(65536);
  const plain = !brightness && !contrast;
  // The same rule as voiLinear, inlined: below lo -> 0, above hi -> 255, the line in between.
  const lo = c - 0.5 - (w - 1) / 2, hi = c - 0.5 + (w - 1) / 2, k = w <= 1 ? 0 : 255 / (w - 1), off = c - 0.5;
  for (let i = 0; i < 65536; i++) {
    const x = i - 32768;
    let v;
    if (w <= 1) v = x <= off ? 0 : 255;
    else v = x <= lo ? 0 : x > hi ? 255 : Math.round((x - off) * k + 127.5);
    if (!plain) v = adjust(v, brightness, contrast);
    if (invert) v = 255 - v;
    lut[i] = 0xff000000 | (v << 16) | (v << 8) | v;
  }
  return lut;
}

/** Writes the windowed image into an ImageData (same size as the slice). */
export function applyLut(hu, lut, imageData) {
  const out = new Uint32Array(imageData.data.buffer);
  for (let i = 0, n = hu.length; i < n; i++) out[i] = lut[hu[i] + 32768];
  return imageData;
}

export const PRESETS = {
  lung: { label: 'Lung', wc: -600, ww: 1500, key: '1' },
  mediastinum: { label: 'Mediastinum', wc: 50, ww: 350, key: '2' },
  bone: { label: 'Bone', wc: 480, ww: 2500, key: '3' },
  brain: { label: 'Brain', wc: 40, ww: 80, key: '4' },
};
