// Image viewer: series strip, canvas with client-side window/level from raw HU, slice cache and prefetch,
// zoom/pan/rotate/flip, distance measurement, overlay text, attribute browser, AI panel, corrections.
import { getJson, post, exists, toError } from './api.js';
import { h, clear, fmtDate, fmtPct, fmtTime, personName } from './dom.js';
import { buildLut, applyLut, prepareLut, PRESETS } from './render.js';
import { isTyping } from './app.js';

const CACHE_LIMIT = 600;       // decoded slices kept in memory (about 0.5 MB each at 512²)
const PREFETCH_AHEAD = 12;     // slices fetched ahead in the scroll direction
const PREFETCH_BEHIND = 4;
const MAX_IN_FLIGHT = 4;
const BODY_PARTS = ['chest', 'head', 'neck', 'abdomen', 'pelvis', 'chest-abdomen', 'chest-abdomen-pelvis', 'whole-body', 'other'];
const MALIGNANCY = ['suspicious', 'not-suspicious'];

/** Decoded slices of every series opened in this page, keyed by SOP Instance UID. */
class SliceCache {
  constructor() { this.map = new Map(); this.inFlight = 0; this.queue = []; }

  get(uid) { return this.map.get(uid); }

  /** Starts (or joins) the download of a slice; urgent ones jump the queue. */
  load(uid, urgent = false) {
    let e = this.map.get(uid);
    if (e) {
      if (urgent && e.state === 'queued') { this.queue = this.queue.filter(q => q !== e); this.start(e); }
      return e.promise;
    }
    e = { uid, state: 'queued' };
    e.promise = new Promise(resolve => { e.resolve = resolve; });
    this.map.set(uid, e);
    if (urgent || this.inFlight < MAX_IN_FLIGHT) this.start(e); else this.queue.push(e);
    this.trim();
    return e.promise;
  }

  start(e) {
    e.state = 'loading';
    this.inFlight++;
    fetchSlice(e.uid).catch(err => ({ error: 'The image could not be loaded: ' + err.message })).then(result => {
      Object.assign(e, result, { state: result.error ? 'error' : 'ok' });
      e.resolve(e);
    }).finally(() => {
      this.inFlight--;
      const next = this.queue.shift();
      if (next) this.start(next);
    });
  }

  /**
   * Takes over a download already under way for a slice (the study's first slice, asked for with the series list);
   * when it turns out to be another slice or fails, the slice is fetched normally.
   */
  adopt(uid, pending) {
    if (this.map.has(uid)) return this.map.get(uid).promise;
    const e = { uid, state: 'loading' };
    e.promise = pending.then(r => (r && !r.error && r.uid === uid ? r : fetchSlice(uid)))
      .catch(err => ({ error: 'The image could not be loaded: ' + err.message }))
      .then(result => { Object.assign(e, result, { state: result.error ? 'error' : 'ok' }); return e; });
    this.map.set(uid, e);
    return e.promise;
  }

  /** Drops queued prefetches that are no longer wanted. */
  cancelQueued(keep) {
    const dropped = this.queue.filter(e => !keep.has(e.uid));
    this.queue = this.queue.filter(e => keep.has(e.uid));
    for (const e of dropped) this.map.delete(e.uid);
  }

  trim() {
    if (this.map.size <= CACHE_LIMIT) return;
    for (const [k, e] of this.map) {
      if (this.map.size <= CACHE_LIMIT) break;
      if (e.state === 'ok' || e.state === 'error') this.map.delete(k);
    }
  }
}

async function fetchSlice(uid, url = `/api/instances/${encodeURIComponent(uid)}/pixels`) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (r.ok) {
    const buf = await r.arrayBuffer();
    const num = name => { const v = r.headers.get(name); return v === null || v === '' ? null : Number(v); };
    const spacing = (r.headers.get('X-PixelSpacing') ?? '').split('\\').map(Number).filter(n => Number.isFinite(n) && n > 0);
    return {
      uid: uid ?? r.headers.get('X-Sop-Instance-Uid'), kind: 'gray', hu: new Int16Array(buf), rows: num('X-Rows'), cols: num('X-Columns'),
      spacing: spacing.length === 2 ? spacing : null, wc: num('X-Window-Center'), ww: num('X-Window-Width'),
      mono1: r.headers.get('X-Photometric') === 'MONOCHROME1',
    };
  }
  const err = await toError(r);
  if (r.status === 422 && /grayscale/i.test(err.title ?? '')) {
    // Colour image: the server renders it; no client-side windowing.
    const img = new Image();
    img.src = `/api/instances/${encodeURIComponent(uid)}/image.png`;
    try {
      await img.decode();
      return { kind: 'rgb', img, rows: img.naturalHeight, cols: img.naturalWidth, spacing: null };
    } catch {
      return { error: 'The colour image could not be loaded.' };
    }
  }
  if (r.status === 401) location.href = '/login';
  return { error: err.detail || err.title || `HTTP ${r.status}`, status: r.status, title: err.title };
}

/** The two requests that open a study: the series list and the pixels of the slice shown first. */
function firstRequests(studyUid) {
  const firstPixels = fetchSlice(null, `/api/studies/${encodeURIComponent(studyUid)}/first/pixels`).catch(() => null);
  const series = getJson(`/api/studies/${encodeURIComponent(studyUid)}/series`);
  series.catch(() => {}); // the opening reports errors; an unused early request stays quiet
  return { firstPixels, series };
}

// Requests started when the pointer goes down on a worklist row, before the click opens the study (the worklist
// calls preopen): mount adopts them if it opens that study within a few seconds.
const EARLY_MS = 3000;
const early = new Map(); // study UID -> { at, firstPixels, series }

export function preopen(studyUid) {
  const e = early.get(studyUid);
  if (e && performance.now() - e.at < EARLY_MS) return;
  early.clear();
  early.set(studyUid, { at: performance.now(), ...firstRequests(studyUid) });
}

function takeEarly(studyUid) {
  const e = early.get(studyUid);
  early.clear();
  return e && performance.now() - e.at < EARLY_MS ? e : null;
}

export async function mount(root, me, studyUid, { series: wantSeries, instance: wantInstance } = {}) {
  const cache = new SliceCache();
  const isNonImage = s => ['SR', 'KO', 'PR', 'DOC'].includes(s.modality ?? '');
  const pickSeries = list => {
    let i = list.findIndex(s => s.seriesInstanceUid === wantSeries);
    if (i < 0) i = list.findIndex(s => !isNonImage(s));
    return Math.max(0, i);
  };
  // The first requests go out before the page is built, together: the series list and the pixels of the slice shown
  // first (the server picks it as pickSeries does); the cache adopts that download once the list names the slice.
  // When the pointer went down on the study's worklist row a moment ago, they are already under way.
  const requests = !wantInstance && !wantSeries ? takeEarly(studyUid) ?? firstRequests(studyUid) : null;
  const firstPixels = requests?.firstPixels ?? null;
  const seriesPromise = (requests?.series ?? getJson(`/api/studies/${encodeURIComponent(studyUid)}/series`)).then(list => {
    const s = list[pickSeries(list)];
    if (s && !wantInstance && s.firstSopInstanceUid) {
      if (firstPixels) cache.adopt(s.firstSopInstanceUid, firstPixels); else cache.load(s.firstSopInstanceUid, true);
    }
    // The instance list is on the first image's path too (slice index, overlay): ask now, not after building the page.
    if (s) s.instancesPromise = getJson(`/api/series/${encodeURIComponent(s.seriesInstanceUid)}/instances`).catch(() => null);
    return list;
  });
  const isDoctor = me.role === 'doctor';
  let disposed = false;

  // ---------- state ----------
  const view = { wc: 40, ww: 400, windowFromImage: true, invert: false, brightness: 0, contrast: 0, rotation: 0, flipH: false, flipV: false, zoom: 1, panX: 0, panY: 0 };
  let seriesList = [], seriesIndex = -1, instances = [], slice = 0, drawn = null, drawCount = 0;
  let provisionalCount = 0; // the series' image count while only its first slice is known
  let firstOnly = false; // the first slice drawn before the series list came: the count is not known yet
  prepareLut(512 * 512); // compiles the windowing kernel while the first requests are under way
  let tool = 'wl';
  let measurements = []; // { uid, a: {x,y}, b: {x,y} } in image pixel coordinates (x = column, y = row)
  let pendingPoint = null, hoverPoint = null;
  let matrix = new DOMMatrix();
  let ai = null; // series AI answer
  let heatmap = { on: false, opacity: 0.45, img: null, uid: null, available: false, state: 'off' };
  let direction = 1;
  const bufferCanvas = document.createElement('canvas');
  const bufferCtx = bufferCanvas.getContext('2d');
  let lut = null, lutKey = '', imageData = null, cssScale = 1; // cssScale: canvas pixels per CSS pixel

  // ---------- layout ----------
  const canvas = h('canvas.viewport-canvas', { testid: 'viewer-canvas', tabindex: 0, role: 'img', 'aria-label': 'Image viewport' });
  const ctx = canvas.getContext('2d');
  const message = h('div.viewport-message', { testid: 'viewport-message', role: 'alert', hidden: true });
  const loading = h('div.viewport-loading', { testid: 'viewport-loading', hidden: true }, 'Loading…');
  const ovTL = h('div.ov.tl', { testid: 'overlay-patient' });
  const ovTR = h('div.ov.tr', { testid: 'overlay-series' });
  const ovSlice = h('div', { testid: 'overlay-slice' });
  const ovWl = h('div', { testid: 'overlay-wl' });
  const ovBL = h('div.ov.bl', {}, ovSlice, ovWl);
  const ovZoom = h('div', { testid: 'overlay-zoom' });
  const ovBR = h('div.ov.br', {}, ovZoom, h('div', { testid: 'overlay-orientation' }));
  const aiBadge = h('div.ov.ai-label', { testid: 'heatmap-label', hidden: true }, 'AI output — not a diagnosis');
  const viewport = h('div.viewport', { testid: 'viewport' }, canvas, ovTL, ovTR, ovBL, ovBR, aiBadge, loading, message);

  const sliceSlider = h('input.slice-slider', { type: 'range', min: 1, max: 1, value: 1, step: 1, 'aria-label': 'Slice', testid: 'slice-slider' });
  const strip = h('div.series-strip', { testid: 'series-strip', role: 'listbox', 'aria-label': 'Series' });

  const toolButtons = {};
  const toolButton = (name, label, key) => (toolButtons[name] = h('button.tool', { type: 'button', testid: 'tool-' + name, 'aria-pressed': 'false', title: `${label} (${key})`, onclick: () => setTool(name) }, label));
  const presetButtons = Object.entries(PRESETS).map(([name, p]) =>
    h('button', { type: 'button', testid: 'preset-' + name, title: `${p.label} W ${p.ww} / L ${p.wc} (${p.key})`, onclick: () => setPreset(name) }, p.label));
  const brightness = h('input', { type: 'range', min: -100, max: 100, value: 0, id: 'v-bright', testid: 'brightness' });
  const contrast = h('input', { type: 'range', min: -100, max: 100, value: 0, id: 'v-contrast', testid: 'contrast' });
  brightness.addEventListener('input', () => { view.brightness = +brightness.value; draw(); });
  contrast.addEventListener('input', () => { view.contrast = +contrast.value; draw(); });
  const btn = (testid, label, title, onclick) => h('button', { type: 'button', testid, title, 'aria-label': title, onclick }, label);
  const toolbar = h('div.toolbar', { testid: 'viewer-toolbar', role: 'toolbar', 'aria-label': 'Image tools' },
    h('div.group', {}, toolButton('wl', 'W/L', 'W'), toolButton('pan', 'Pan', 'P'), toolButton('zoom', 'Zoom', 'Z'), toolButton('scroll', 'Scroll', 'Shift+drag'), toolButton('measure', 'Measure', 'M')),
    h('div.group', {}, presetButtons, btn('preset-default', 'Default', 'Window stored in the image', () => { view.windowFromImage = true; setImageWindow(); draw(); })),
    h('div.group', {}, h('label', { for: 'v-bright' }, 'Brightness'), brightness, h('label', { for: 'v-contrast' }, 'Contrast'), contrast),
    h('div.group', {},
      btn('invert', 'Invert', 'Invert (I)', () => { view.invert = !view.invert; draw(); }),
      btn('rotate-left', '⟲', 'Rotate 90° counter-clockwise (Shift+R)', () => rotate(-90)),
      btn('rotate-right', '⟳', 'Rotate 90° clockwise (R)', () => rotate(90)),
      btn('flip-h', '⇋', 'Flip horizontally (H)', () => { view.flipH = !view.flipH; draw(); }),
      btn('flip-v', '⥮', 'Flip vertically (V)', () => { view.flipV = !view.flipV; draw(); })),
    h('div.group', {},
      btn('zoom-out', '−', 'Zoom out (−)', () => zoomBy(1 / 1.25)),
      btn('zoom-in', '+', 'Zoom in (+)', () => zoomBy(1.25)),
      btn('zoom-1to1', '1:1', 'One image pixel per screen pixel', () => zoomActual()),
      btn('reset', 'Reset', 'Reset view (0)', () => resetView()),
      btn('clear-measure', 'Clear', 'Clear measurements', () => { measurements = []; pendingPoint = null; draw(); })));

  // AI panel
  const aiSeries = h('div', { testid: 'ai-series' });
  const aiImage = h('div', { testid: 'ai-image' });
  const jump = h('button.primary', { type: 'button', testid: 'ai-jump', disabled: true, onclick: () => jumpSuspicious() }, 'Jump to most suspicious slice');
  const heatToggle = h('input', { type: 'checkbox', id: 'v-heat', testid: 'heatmap-toggle' });
  const heatOpacity = h('input', { type: 'range', min: 0, max: 100, value: 45, id: 'v-heat-opacity', testid: 'heatmap-opacity', 'aria-label': 'Heatmap opacity' });
  const heatStatus = h('p.small', { testid: 'heatmap-status', role: 'status' });
  const heatBox = h('div.heat', { testid: 'heatmap-controls', hidden: true },
    h('label', { for: 'v-heat' }, heatToggle, ' Heatmap overlay'), h('label', { for: 'v-heat-opacity' }, 'Opacity'), heatOpacity,
    h('p.warn.small', {}, 'AI output — not a diagnosis'), heatStatus);
  heatToggle.addEventListener('change', () => { heatmap.on = heatToggle.checked; loadHeatmap(); });
  heatOpacity.addEventListener('input', () => { heatmap.opacity = heatOpacity.value / 100; draw(); });
  const aiPanel = h('section.panel', { testid: 'ai-panel', 'aria-labelledby': 'ai-title' },
    h('h2', { id: 'ai-title' }, 'AI results ', h('span.warn', { testid: 'ai-disclaimer' }, 'AI output — not a diagnosis')),
    aiSeries, jump, aiImage, heatBox);

  // Corrections panel
  const corrList = h('ul.corrections', { testid: 'corrections-list' });
  const corrField = h('select', { id: 'c-field', testid: 'correction-field' }, h('option', { value: 'body-part' }, 'Body part'), h('option', { value: 'malignancy' }, 'Malignancy'));
  const corrLabel = h('select', { id: 'c-label', testid: 'correction-label' });
  const corrComment = h('textarea', { id: 'c-comment', rows: 2, maxlength: 1000, testid: 'correction-comment', placeholder: 'optional' });
  const corrMsg = h('p.small', { testid: 'correction-message', role: 'status' });
  const fillLabels = () => clear(corrLabel, (corrField.value === 'body-part' ? BODY_PARTS : MALIGNANCY).map(l => h('option', { value: l }, l)));
  corrField.addEventListener('change', fillLabels);
  fillLabels();
  const acceptBtn = h('button', { type: 'button', testid: 'correction-accept', onclick: () => submitCorrection(true) }, 'Accept AI label');
  const corrForm = h('form.correction-form', { testid: 'correction-form', hidden: !isDoctor, onsubmit: e => { e.preventDefault(); submitCorrection(false); } },
    h('label', { for: 'c-field' }, 'Field'), corrField,
    h('label', { for: 'c-label' }, 'Correct label'), corrLabel,
    h('label', { for: 'c-comment' }, 'Comment'), corrComment,
    h('div.row', {}, acceptBtn, h('button.primary', { type: 'submit', testid: 'correction-submit' }, 'Submit correction')), corrMsg);
  const corrPanel = h('section.panel', { testid: 'corrections-panel', 'aria-labelledby': 'corr-title' }, h('h2', { id: 'corr-title' }, 'Corrections'), corrList, corrForm);

  // Attribute browser
  const attrSearch = h('input', { type: 'search', placeholder: 'tag, keyword or value', 'aria-label': 'Search attributes', testid: 'attributes-search' });
  const attrBody = h('div.attr-tree', { testid: 'attributes-tree' });
  const attrPanel = h('section.panel.attrs', { testid: 'attributes-panel', hidden: true, 'aria-labelledby': 'attr-title' },
    h('div.row', {}, h('h2', { id: 'attr-title' }, 'Attributes'), h('button.ghost', { type: 'button', testid: 'attributes-close', onclick: () => toggleAttributes(false) }, 'Close')),
    attrSearch, attrBody);
  let attrTimer;
  attrSearch.addEventListener('input', () => { clearTimeout(attrTimer); attrTimer = setTimeout(filterAttributes, 120); });

  const title = h('h1.study-title', { testid: 'study-title' }, 'Study');
  const exportLink = h('a.button', { href: `/api/studies/${encodeURIComponent(studyUid)}/export`, download: '', testid: 'export-study', hidden: true }, 'Export study (zip)');
  const head = h('div.viewer-head', {}, h('a', { href: '#/', testid: 'back-to-worklist' }, '← Worklist'), title,
    h('span.spacer'), exportLink,
    h('button', { type: 'button', testid: 'attributes-toggle', onclick: () => toggleAttributes(attrPanel.hidden) }, 'Attributes (A)'));
  // The side panels and the series thumbnails are filled in after the first image: their columns have fixed widths,
  // so the viewport keeps its size, and their text is not laid out before the first draw.
  const side = h('aside.side');
  const layout = h('div.viewer', { testid: 'viewer' },
    head,
    h('div.viewer-body', {},
      h('aside.strip-wrap', {}, strip),
      h('div.center', {}, toolbar, viewport, h('div.slider-row', {}, h('span', {}, 'Slice'), sliceSlider)),
      side));
  clear(root, layout);
  root.classList.add('full');
  document.body.classList.add('fullscreen');

  // ---------- drawing ----------
  function fitScale(e) {
    const rotated = view.rotation % 180 !== 0;
    const w = rotated ? e.rows : e.cols, hgt = rotated ? e.cols : e.rows;
    return Math.min(canvas.width / w, canvas.height / hgt);
  }

  function currentEntry() {
    const inst = instances[slice];
    return inst ? cache.get(inst.sopInstanceUid) : null;
  }

  // r: the viewport's size (from the ResizeObserver, which needs no extra layout), else measured now.
  let sized = false;
  function resize(r = viewport.getBoundingClientRect()) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(r.width * dpr)), hgt = Math.max(1, Math.round(r.height * dpr));
    sized = true;
    if (canvas.width !== w || canvas.height !== hgt) { canvas.width = w; canvas.height = hgt; canvasState = 'new'; }
    cssScale = r.width ? w / r.width : 1;
    draw();
  }

  function setImageWindow() {
    const e = drawn ?? currentEntry();
    if (!view.windowFromImage || !e || e.kind !== 'gray') return;
    if (e.wc !== null && e.ww !== null && e.ww >= 1) { view.wc = e.wc; view.ww = e.ww; }
    else {
      let min = 32767, max = -32768;
      for (let i = 0; i < e.hu.length; i += 7) { const v = e.hu[i]; if (v < min) min = v; if (v > max) max = v; }
      view.ww = Math.max(1, max - min); view.wc = (max + min) / 2;
    }
  }

  // Without an image the canvas is hidden (the viewport behind it is black) and filled black: that sets up its memory
  // while the first slice is on its way (a canvas-sized frame costs tens of ms on a slow machine), without a frame
  // of the canvas being produced for the compositor until there is an image. 'new' after a resize, then 'black' or
  // 'image'.
  let canvasState = 'new';
  function draw() {
    const e = drawn;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    if (!e || e.state !== 'ok') {
      if (canvasState !== 'black') {
        canvas.style.visibility = 'hidden';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        canvasState = 'black';
        // The same for the slice-sized buffer, at the most common size (CT), the first time.
        if (bufferCanvas.width === 300) { bufferCanvas.width = bufferCanvas.height = 512; bufferCtx.fillRect(0, 0, 512, 512); }
      }
      updateOverlay();
      return;
    }
    if (canvasState !== 'black') ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (canvasState !== 'image') { canvasState = 'image'; canvas.style.visibility = ''; }
    // Window the slice into the buffer canvas at image size.
    if (e.kind === 'gray') {
      const key = `${view.wc}|${view.ww}|${view.invert !== e.mono1}|${view.brightness}|${view.contrast}`;
      if (key !== lutKey) { lut = buildLut(view.wc, view.ww, { invert: view.invert !== e.mono1, brightness: view.brightness, contrast: view.contrast }); lutKey = key; }
      if (bufferCanvas.width !== e.cols || bufferCanvas.height !== e.rows) { bufferCanvas.width = e.cols; bufferCanvas.height = e.rows; }
      imageData = applyLut(e.hu, lut, e.cols, e.rows, imageData);
      bufferCtx.putImageData(imageData, 0, 0);
    } else {
      bufferCanvas.width = e.cols; bufferCanvas.height = e.rows;
      bufferCtx.filter = view.invert ? 'invert(1)' : 'none';
      bufferCtx.drawImage(e.img, 0, 0);
      bufferCtx.filter = 'none';
    }
    const s = fitScale(e) * view.zoom;
    // Integer translation keeps a 1:1 zoom pixel-exact.
    const tx = Math.round(canvas.width / 2 + view.panX), ty = Math.round(canvas.height / 2 + view.panY);
    matrix = new DOMMatrix().translate(tx, ty).rotate(view.rotation).scale(view.flipH ? -s : s, view.flipV ? -s : s).translate(-e.cols / 2, -e.rows / 2);
    ctx.setTransform(matrix);
    ctx.imageSmoothingEnabled = s < 1;
    ctx.drawImage(bufferCanvas, 0, 0);
    if (heatmap.on && heatmap.img && heatmap.uid === e.uid) {
      ctx.globalAlpha = heatmap.opacity;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(heatmap.img, 0, 0, e.cols, e.rows);
      ctx.globalAlpha = 1;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    drawMeasurements(e);
    drawCount++;
    updateOverlay();
  }

  function toCanvas(p) { const q = matrix.transformPoint(new DOMPoint(p.x, p.y)); return { x: q.x, y: q.y }; }
  function toImage(clientX, clientY) {
    const r = canvas.getBoundingClientRect();
    const dpr = canvas.width / r.width;
    const q = matrix.inverse().transformPoint(new DOMPoint((clientX - r.left) * dpr, (clientY - r.top) * dpr));
    return { x: q.x, y: q.y };
  }

  function distanceMm(e, a, b) {
    // Pixel Spacing (0028,0030) is row spacing \ column spacing: first value between rows (y), second between columns (x).
    if (!e.spacing) return null;
    const dy = (b.y - a.y) * e.spacing[0], dx = (b.x - a.x) * e.spacing[1];
    return Math.hypot(dx, dy);
  }

  function drawMeasurements(e) {
    const list = measurements.filter(m => m.uid === e.uid);
    if (pendingPoint && pendingPoint.uid === e.uid) list.push({ uid: e.uid, a: pendingPoint, b: hoverPoint ?? pendingPoint, pending: true });
    const dpr = cssScale;
    for (const m of list) {
      const a = toCanvas(m.a), b = toCanvas(m.b);
      ctx.strokeStyle = m.pending ? '#ffd54f' : '#4fc3f7';
      ctx.fillStyle = ctx.strokeStyle;
      ctx.lineWidth = 1.5 * dpr;
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
      for (const p of [a, b]) { ctx.beginPath(); ctx.arc(p.x, p.y, 3 * dpr, 0, Math.PI * 2); ctx.fill(); }
      const mm = distanceMm(e, m.a, m.b);
      const label = mm === null ? `${Math.hypot(m.b.x - m.a.x, m.b.y - m.a.y).toFixed(1)} px (no pixel spacing)` : `${mm.toFixed(1)} mm`;
      ctx.font = `${13 * dpr}px system-ui, sans-serif`;
      ctx.lineWidth = 3 * dpr; ctx.strokeStyle = '#000';
      ctx.strokeText(label, b.x + 6 * dpr, b.y - 6 * dpr);
      ctx.fillText(label, b.x + 6 * dpr, b.y - 6 * dpr);
      m.label = label;
      m.mm = mm;
    }
    const last = measurements.filter(x => x.uid === e.uid).at(-1);
    measureOut.textContent = last ? last.label : '';
    measureOut.dataset.mm = last?.mm ?? '';
  }
  const measureOut = h('div', { testid: 'measure-value' });
  ovBL.append(measureOut);

  function updateOverlay() {
    const e = drawn;
    const n = firstOnly ? 0 : provisionalCount || instances.length;
    ovSlice.textContent = n ? `Slice ${slice + 1}/${n}` + (instances[slice]?.instanceNumber != null ? ` (Im ${instances[slice].instanceNumber})` : '') : firstOnly ? 'Slice 1' : '';
    ovSlice.dataset.index = String(slice + 1);
    ovSlice.dataset.drawnUid = e?.uid ?? '';
    ovWl.textContent = e?.kind === 'gray' ? `W ${Math.round(view.ww)} / L ${Math.round(view.wc)}` + (view.invert ? ' · inverted' : '') : '';
    ovZoom.textContent = e ? `Zoom ${Math.round(fitScale(e) * view.zoom / (window.devicePixelRatio || 1) * 100)} %` + (view.rotation ? ` · ${view.rotation}°` : '') + (view.flipH ? ' · flip H' : '') + (view.flipV ? ' · flip V' : '') : '';
    sliceSlider.max = String(Math.max(1, n));
    sliceSlider.value = String(slice + 1);
    for (const [name, b] of Object.entries(toolButtons)) b.setAttribute('aria-pressed', String(name === tool));
  }

  // ---------- slices ----------
  async function showSlice(i, { urgent = true } = {}) {
    if (!instances.length) return;
    i = Math.max(0, Math.min(instances.length - 1, i));
    if (i !== slice) direction = i > slice ? 1 : -1;
    slice = i;
    const uid = instances[i].sopInstanceUid;
    const entry = cache.get(uid);
    // The slice already on the canvas (the first one, drawn before the instance list came) is not drawn again.
    if (entry?.state === 'ok' || entry?.state === 'error') { if (entry === drawn) updateOverlay(); else present(entry); }
    else {
      loading.hidden = false;
      updateOverlay();
      cache.load(uid, urgent).then(e => {
        if (disposed || instances[slice]?.sopInstanceUid !== e.uid) return;
        if (e === drawn) { loading.hidden = true; updateOverlay(); } else present(e);
      });
    }
    firstPaint.then(prefetch);
    showImageAi();
    // Panels that need the server, and the address bar, follow once scrolling pauses (keeps requests for pixels).
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      if (disposed) return;
      loadCorrections();
      if (!attrPanel.hidden) loadAttributes();
      history.replaceState(null, '', `#/study/${encodeURIComponent(studyUid)}/${encodeURIComponent(seriesList[seriesIndex]?.seriesInstanceUid ?? '')}/${encodeURIComponent(uid)}`);
    }, 150);
  }
  let settleTimer;
  // Nothing else competes with the first image: prefetch, thumbnails, AI requests and the rest of the page wait
  // until the frame that shows it has been produced (the next animation frame has begun), so that neither their
  // work nor their answers (each slice's body costs the main thread a few ms) hold that frame back.
  let firstShown;
  const firstShownPromise = new Promise(resolve => { firstShown = resolve; });
  const firstPaint = firstShownPromise.then(() => new Promise(resolve => {
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)));
    setTimeout(resolve, 500); // no animation frames in a hidden tab
  }));

  function present(e) {
    loading.hidden = true;
    if (e.state === 'error') {
      drawn = null;
      message.hidden = false;
      message.textContent = e.error;
      message.dataset.status = String(e.status ?? '');
      draw();
      firstShown();
      return;
    }
    message.hidden = true;
    const first = drawn === null;
    drawn = e;
    if (first) setImageWindow();
    if (heatmap.on) loadHeatmap(); else draw();
    if (window.__ecViewer) window.__ecViewer.lastDrawAt = performance.now();
    firstShown();
  }

  function prefetch() {
    const want = [];
    for (let k = 1; k <= PREFETCH_AHEAD; k++) want.push(slice + direction * k);
    for (let k = 1; k <= PREFETCH_BEHIND; k++) want.push(slice - direction * k);
    const uids = want.filter(i => i >= 0 && i < instances.length).map(i => instances[i].sopInstanceUid);
    cache.cancelQueued(new Set(uids));
    for (const u of uids) cache.load(u);
  }

  function scrollBy(d) { showSlice(slice + d); }

  // ---------- series ----------
  async function openSeries(idx, startUid) {
    seriesIndex = idx;
    const s = seriesList[idx];
    markSelected();
    // The slice already drawn from the first-pixels answer (before the series list) stays on the canvas.
    const keep = drawn && !startUid && drawn.uid === s.firstSopInstanceUid;
    measurements = []; pendingPoint = null; ai = null;
    if (!keep) drawn = null;
    firstOnly = false;
    // The first slice (lowest Instance Number) is known from the series row: fetch it while the list loads.
    if (!startUid && s.firstSopInstanceUid) cache.load(s.firstSopInstanceUid, true);
    const early = s.instancesPromise;
    s.instancesPromise = null;
    // The first slice is named by the series row: draw it as soon as its pixels are in, without waiting for the
    // instance list (a provisional one-entry list whose count comes from the series row until the list arrives).
    if (!startUid && s.firstSopInstanceUid && early) {
      instances = [{ sopInstanceUid: s.firstSopInstanceUid }];
      provisionalCount = s.instanceCount ?? 0;
      slice = 0;
      view.windowFromImage = true;
      showSlice(0);
    }
    const found = (early ? await early : null) ?? await getJson(`/api/series/${encodeURIComponent(s.seriesInstanceUid)}/instances`);
    if (disposed) return;
    instances = found.instances;
    provisionalCount = 0;
    s.instances = instances;
    let start = 0;
    if (startUid) start = Math.max(0, instances.findIndex(x => x.sopInstanceUid === startUid));
    slice = start;
    view.windowFromImage = true;
    await showSlice(start);
    firstPaint.then(() => loadSeriesAi(s));
  }

  function markSelected() {
    for (const [k, el] of [...strip.children].entries()) { el.classList.toggle('selected', k === seriesIndex); el.setAttribute('aria-selected', String(k === seriesIndex)); }
  }

  function thumb(s, idx) {
    const img = h('div.thumb-img', {}, s.modality ?? '');
    const el = h('button.thumb', { type: 'button', role: 'option', testid: 'series-thumb', dataset: { series: s.seriesInstanceUid, modality: s.modality ?? '' },
      title: s.seriesDescription ?? '', onclick: () => openSeries(idx) },
    img,
    h('span.thumb-label', {}, `${s.seriesNumber ?? ''} ${s.modality ?? ''}`.trim()),
    h('span.thumb-desc', {}, s.seriesDescription ?? ''),
    h('span.thumb-count', {}, `${s.instanceCount} ${s.instanceCount === 1 ? 'image' : 'images'}`));
    s.thumbEl = img;
    return el;
  }

  async function loadThumbnails() {
    for (const s of seriesList) {
      if (disposed) return;
      if (isNonImage(s)) continue;
      try {
        const list = s.instances ?? (await getJson(`/api/series/${encodeURIComponent(s.seriesInstanceUid)}/instances`)).instances;
        s.instances = list;
        const mid = list[Math.floor((list.length - 1) / 2)];
        if (!mid) continue;
        const img = h('img', { alt: `Series ${s.seriesNumber ?? ''} middle slice`, src: `/api/instances/${encodeURIComponent(mid.sopInstanceUid)}/image.png`, loading: 'lazy', decoding: 'async' });
        img.addEventListener('error', () => img.replaceWith(document.createTextNode('no preview')));
        clear(s.thumbEl, img);
      } catch { /* keep the text tile */ }
    }
  }

  // ---------- AI ----------
  async function loadSeriesAi(s) {
    clear(aiSeries, h('p.muted', {}, 'Loading AI results…'));
    try {
      ai = await getJson(`/api/series/${encodeURIComponent(s.seriesInstanceUid)}/ai`);
    } catch (err) {
      clear(aiSeries, h('p.muted', {}, 'No AI results: ' + err.message));
      return;
    }
    if (disposed || seriesList[seriesIndex] !== s) return;
    const images = ai.images ?? [];
    const done = images.filter(r => r.status === 'done' || r.malignancyProbability != null || r.bodyPart);
    const parts = {};
    for (const r of done) if (r.bodyPart) parts[r.bodyPart] = (parts[r.bodyPart] ?? 0) + 1;
    const topIdx = instances.findIndex(x => x.sopInstanceUid === ai.mostSuspiciousSopInstanceUid);
    const models = new Map();
    for (const r of images) for (const m of r.models ?? []) models.set(`${m.name} ${m.version}`, m);
    clear(aiSeries,
      images.length === 0 ? h('p.muted', { testid: 'ai-none' }, 'This series has not been analysed.') : h('dl.kv', {},
        h('dt', {}, 'Images analysed'), h('dd', { testid: 'ai-analysed' }, `${done.length} of ${instances.length}`),
        h('dt', {}, 'Body parts'), h('dd', {}, Object.entries(parts).map(([k, v]) => `${k} (${v})`).join(', ') || '—'),
        h('dt', {}, 'Highest malignancy'), h('dd', { testid: 'ai-max-malignancy' }, fmtPct(ai.maxMalignancyProbability) + (topIdx >= 0 ? ` on slice ${topIdx + 1}` : '')),
        h('dt', {}, 'Models'), h('dd', { testid: 'ai-models' }, [...models.keys()].join(', ') || '—')));
    jump.disabled = topIdx < 0;
    jump.hidden = topIdx < 0;
    jump.dataset.slice = String(topIdx + 1);
    showImageAi();
    // Heatmaps: the server links one (heatmapUrl) for each image the malignancy model scored when it has models.
    heatmap.available = images.some(r => r.heatmapUrl);
    heatBox.hidden = !heatmap.available;
  }

  function resultsFor(uid) { return (ai?.images ?? []).filter(r => r.sopInstanceUid === uid); }

  function showImageAi() {
    const uid = instances[slice]?.sopInstanceUid;
    const rows = uid ? resultsFor(uid) : [];
    if (!rows.length) { clear(aiImage, h('p.muted', { testid: 'ai-image-none' }, ai ? 'No AI result for this image.' : '')); return; }
    clear(aiImage, h('h3', {}, `This image (slice ${slice + 1})`), rows.map(r => h('dl.kv', { testid: 'ai-image-result' },
      h('dt', {}, 'Status'), h('dd', {}, r.status + (r.reason ? ` — ${r.reason}` : '')),
      h('dt', {}, 'Body part'), h('dd', { testid: 'ai-body-part' }, r.bodyPart ? `${r.bodyPart} (${fmtPct(r.bodyPartProbability)})` : '—'),
      h('dt', {}, 'Malignancy'), h('dd', { testid: 'ai-malignancy' }, fmtPct(r.malignancyProbability)),
      h('dt', {}, 'Model'), h('dd', { testid: 'ai-model' }, (r.models ?? []).map(m => `${m.name} ${m.version}`).join(', ') || r.modelSet))));
  }

  function jumpSuspicious() {
    const i = instances.findIndex(x => x.sopInstanceUid === ai?.mostSuspiciousSopInstanceUid);
    if (i >= 0) showSlice(i);
  }

  // heatmap.png is computed on the first request (tens of seconds on a small node), then cached by the server.
  async function loadHeatmap() {
    aiBadge.hidden = !heatmap.on;
    const uid = instances[slice]?.sopInstanceUid;
    if (!heatmap.on || !uid) { draw(); return; }
    if (heatmap.uid === uid && (heatmap.img || heatmap.state === 'loading')) { draw(); return; }
    const url = resultsFor(uid).find(r => r.heatmapUrl)?.heatmapUrl;
    heatmap.uid = uid;
    heatmap.img = null;
    if (!url) { heatmap.state = 'none'; heatStatus.textContent = 'No heatmap for this image (not scored by the malignancy model).'; draw(); return; }
    heatmap.state = 'loading';
    heatStatus.textContent = 'Computing heatmap…';
    draw();
    const img = new Image();
    img.src = url;
    let ok = true;
    try { await img.decode(); } catch { ok = false; }
    if (heatmap.uid !== uid) return; // the slice changed meanwhile; that slice's request is under way
    heatmap.img = ok ? img : null;
    heatmap.state = ok ? 'shown' : 'failed';
    heatStatus.textContent = ok ? '' : 'The heatmap could not be loaded.';
    draw();
  }

  // ---------- corrections ----------
  async function loadCorrections() {
    const uid = instances[slice]?.sopInstanceUid;
    if (!uid) return;
    let list = [];
    try { list = await getJson(`/api/instances/${encodeURIComponent(uid)}/corrections`); } catch { /* none */ }
    if (disposed || instances[slice]?.sopInstanceUid !== uid) return;
    clear(corrList, list.length === 0 ? h('li.muted', { testid: 'corrections-none' }, 'No corrections for this image.') :
      list.map(c => h('li', { testid: 'correction-item' },
        h('strong', {}, `${c.field}: ${c.oldLabel ?? '(none)'} → ${c.newLabel}`),
        h('span.muted.small', {}, ` by ${c.userName}, ${fmtTime(c.correctedAt)}`),
        c.comment ? h('div.small', {}, c.comment) : null)));
  }

  async function submitCorrection(accept) {
    const uid = instances[slice]?.sopInstanceUid;
    if (!uid) return;
    let label = corrLabel.value;
    if (accept) {
      const r = resultsFor(uid).find(x => x.bodyPart || x.malignancyProbability != null);
      if (!r) { corrMsg.textContent = 'There is no AI result to accept on this image.'; return; }
      label = corrField.value === 'body-part' ? r.bodyPart : (r.malignancyProbability >= 0.5 ? 'suspicious' : 'not-suspicious');
    }
    corrMsg.textContent = 'Saving…';
    try {
      const { body } = await post(`/api/instances/${encodeURIComponent(uid)}/corrections`, { field: corrField.value, newLabel: label, comment: corrComment.value || null });
      corrMsg.textContent = `Saved: ${body.field} → ${body.newLabel}. Verified report written.`;
      corrMsg.className = 'small ok';
      corrComment.value = '';
      loadCorrections();
    } catch (err) {
      corrMsg.textContent = err.message;
      corrMsg.className = 'small error';
    }
  }

  // ---------- attributes ----------
  let attrData = null;
  function toggleAttributes(show) {
    attrPanel.hidden = !show;
    if (show) { loadAttributes(); attrSearch.focus(); }
  }

  async function loadAttributes() {
    const uid = instances[slice]?.sopInstanceUid;
    if (!uid) return;
    clear(attrBody, h('p.muted', {}, 'Loading…'));
    try {
      attrData = await getJson(`/api/instances/${encodeURIComponent(uid)}/attributes`);
    } catch (err) {
      clear(attrBody, h('p.error', {}, err.message));
      return;
    }
    if (instances[slice]?.sopInstanceUid !== uid) return;
    filterAttributes();
  }

  function filterAttributes() {
    if (!attrData) return;
    const q = attrSearch.value.trim().toLowerCase();
    const match = n => !q || [n.tag, n.keyword ?? '', n.value ?? ''].some(s => s.toLowerCase().includes(q)) || (n.items ?? []).some(it => it.some(match));
    const render = nodes => h('ul', {}, nodes.filter(match).map(n => {
      const line = h('span.attr-line', {}, h('code', {}, n.tag), ' ', h('span.kw', {}, n.keyword ?? '(private or unknown)'), ' ', h('span.vr', {}, n.vr), ' ', h('span.val', {}, n.value ?? ''));
      if (!n.items) return h('li', { testid: 'attribute-row', dataset: { tag: n.tag } }, line);
      return h('li', { testid: 'attribute-row', dataset: { tag: n.tag } }, h('details', { open: !!q },
        h('summary', {}, line), n.items.map((item, i) => h('div.item', {}, h('span.muted.small', {}, `Item ${i + 1}`), render(item)))));
    }));
    clear(attrBody,
      h('p.muted.small', {}, `Transfer syntax: ${attrData.transferSyntaxName ?? ''} (${attrData.transferSyntax})`),
      h('h3', {}, 'File meta information'), render(attrData.fileMetaInformation ?? []),
      h('h3', {}, 'Dataset'), render(attrData.dataset ?? []));
  }

  // ---------- view operations ----------
  function setTool(name) { tool = name; pendingPoint = null; canvas.dataset.tool = name; updateOverlay(); draw(); }
  function setPreset(name) { const p = PRESETS[name]; view.wc = p.wc; view.ww = p.ww; view.windowFromImage = false; draw(); }
  function rotate(deg) { view.rotation = ((view.rotation + deg) % 360 + 360) % 360; draw(); }
  function zoomBy(f, about) {
    const z = Math.max(0.1, Math.min(40, view.zoom * f));
    const k = z / view.zoom;
    if (about) {
      // Keep the point under the cursor in place.
      const cx = canvas.width / 2 + view.panX, cy = canvas.height / 2 + view.panY;
      view.panX += (about.x - cx) * (1 - k);
      view.panY += (about.y - cy) * (1 - k);
    } else { view.panX *= k; view.panY *= k; }
    view.zoom = z;
    draw();
  }
  function zoomActual() { if (drawn) { view.zoom = (window.devicePixelRatio || 1) / fitScale(drawn); view.panX = view.panY = 0; draw(); } }
  function resetView() {
    Object.assign(view, { invert: false, brightness: 0, contrast: 0, rotation: 0, flipH: false, flipV: false, zoom: 1, panX: 0, panY: 0, windowFromImage: true });
    brightness.value = contrast.value = 0;
    setImageWindow();
    draw();
  }

  // ---------- input ----------
  let wheelAccum = 0;
  canvas.addEventListener('wheel', e => {
    e.preventDefault();
    if (e.ctrlKey || tool === 'zoom') {
      const r = canvas.getBoundingClientRect(), dpr = canvas.width / r.width;
      zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1, { x: (e.clientX - r.left) * dpr, y: (e.clientY - r.top) * dpr });
      return;
    }
    // One slice per mouse-wheel notch; small trackpad deltas add up to a slice every 50 px.
    const d = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
    if (Math.abs(d) >= 50) { wheelAccum = 0; scrollBy(Math.sign(d)); return; }
    wheelAccum += d;
    if (Math.abs(wheelAccum) >= 50) { scrollBy(Math.sign(wheelAccum)); wheelAccum = 0; }
  }, { passive: false });

  let drag = null;
  canvas.addEventListener('contextmenu', e => e.preventDefault());
  canvas.addEventListener('pointerdown', e => {
    canvas.focus();
    const mode = e.button === 2 ? 'wl' : e.button === 1 ? 'pan' : e.shiftKey ? 'scroll' : tool;
    if (mode === 'measure') {
      if (!drawn) return;
      const p = toImage(e.clientX, e.clientY);
      if (!pendingPoint) { pendingPoint = { ...p, uid: drawn.uid }; hoverPoint = p; }
      else { measurements.push({ uid: drawn.uid, a: { x: pendingPoint.x, y: pendingPoint.y }, b: p }); pendingPoint = null; }
      draw();
      return;
    }
    drag = { mode, x: e.clientX, y: e.clientY, wc: view.wc, ww: view.ww, panX: view.panX, panY: view.panY, zoom: view.zoom, slice, acc: 0 };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', e => {
    if (pendingPoint && !drag) { hoverPoint = toImage(e.clientX, e.clientY); draw(); return; }
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    const dpr = canvas.width / canvas.getBoundingClientRect().width;
    if (drag.mode === 'wl') {
      const k = Math.max(1, drag.ww / 256);
      view.ww = Math.max(1, Math.round(drag.ww + dx * k));
      view.wc = Math.round(drag.wc + dy * k);
      view.windowFromImage = false;
      draw();
    } else if (drag.mode === 'pan') {
      view.panX = drag.panX + dx * dpr; view.panY = drag.panY + dy * dpr; draw();
    } else if (drag.mode === 'zoom') {
      view.zoom = Math.max(0.1, Math.min(40, drag.zoom * Math.exp(-dy / 150))); draw();
    } else if (drag.mode === 'scroll') {
      const target = drag.slice + Math.round(dy / 8);
      if (target !== slice) showSlice(target);
    }
  });
  const endDrag = () => { drag = null; };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);

  sliceSlider.addEventListener('input', () => showSlice(+sliceSlider.value - 1));

  function onKey(e) {
    if (isTyping(e) || e.altKey || e.metaKey || !document.getElementById('help').hidden) return;
    const k = e.key;
    let handled = true;
    if (k === 'ArrowDown' || k === 'ArrowRight') scrollBy(1);
    else if (k === 'ArrowUp' || k === 'ArrowLeft') scrollBy(-1);
    else if (k === 'PageDown') scrollBy(10);
    else if (k === 'PageUp') scrollBy(-10);
    else if (k === 'Home') showSlice(0);
    else if (k === 'End') showSlice(instances.length - 1);
    else if (e.ctrlKey) handled = false;
    else if (k === '1' || k === '2' || k === '3' || k === '4') setPreset(Object.keys(PRESETS)[+k - 1]);
    else if (k === '0') resetView();
    else if (k === 'i' || k === 'I') { view.invert = !view.invert; draw(); }
    else if (k === 'r') rotate(90);
    else if (k === 'R') rotate(-90);
    else if (k === 'h' || k === 'H') { view.flipH = !view.flipH; draw(); }
    else if (k === 'v' || k === 'V') { view.flipV = !view.flipV; draw(); }
    else if (k === '+' || k === '=') zoomBy(1.25);
    else if (k === '-') zoomBy(1 / 1.25);
    else if (k === 'w' || k === 'W') setTool('wl');
    else if (k === 'p' || k === 'P') setTool('pan');
    else if (k === 'z' || k === 'Z') setTool('zoom');
    else if (k === 'm' || k === 'M') setTool('measure');
    else if (k === 's' || k === 'S') jumpSuspicious();
    else if ((k === 'o' || k === 'O') && !heatBox.hidden) { heatToggle.checked = !heatToggle.checked; heatToggle.dispatchEvent(new Event('change')); }
    else if (k === 'a' || k === 'A') toggleAttributes(attrPanel.hidden);
    else if (k === 'Escape') { pendingPoint = null; draw(); }
    else handled = false;
    if (handled) e.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  const observer = new ResizeObserver(entries => resize(entries.at(-1).contentRect));
  observer.observe(viewport);

  // Test and benchmark hook: read-only view of what is on screen.
  window.__ecViewer = {
    get slice() { return slice + 1; },
    get count() { return provisionalCount || firstOnly ? 0 : instances.length; }, // 0 until the instance list is in
    get drawnUid() { return drawn?.uid ?? null; },
    /** 1-based index of the slice on the canvas (0 when none): equals slice once the wanted slice is drawn. */
    get drawnSlice() { return drawn ? instances.findIndex(x => x.sopInstanceUid === drawn.uid) + 1 : 0; },
    get drawCount() { return drawCount; },
    /** Heatmap overlay: off, loading, shown (drawn over the slice), none (no heatmap for the image) or failed. */
    get heatmap() { return { on: heatmap.on, state: heatmap.on ? heatmap.state : 'off', uid: heatmap.uid }; },
    get view() { return { ...view }; },
    get scale() { return drawn ? fitScale(drawn) * view.zoom : null; },
    get spacing() { return drawn?.spacing ?? null; },
    imageToClient(x, y) {
      const r = canvas.getBoundingClientRect(), dpr = canvas.width / r.width;
      const p = toCanvas({ x, y });
      return { x: r.left + p.x / dpr, y: r.top + p.y / dpr };
    },
    imageToCanvas(x, y) { return toCanvas({ x, y }); },
    lastDrawAt: 0,
  };

  // ---------- start: the first image before anything else ----------
  // The first-pixels answer names its slice (X-Sop-Instance-Uid): when it comes before the series list, it is drawn
  // at once, from a one-entry slice list; the series list then takes over without drawing it again.
  firstPixels?.then(r => {
    if (disposed || drawn || seriesIndex >= 0 || !r || r.error || !r.uid || r.kind !== 'gray') return;
    cache.adopt(r.uid, firstPixels).then(e => {
      if (disposed || drawn || seriesIndex >= 0 || e.state !== 'ok') return;
      instances = [{ sopInstanceUid: e.uid }];
      slice = 0;
      firstOnly = true;
      view.windowFromImage = true;
      if (!sized) resize();
      present(e);
    });
  });
  seriesList = await seriesPromise;
  if (disposed) return { unmount() {} };
  // After the frame that shows the first image: the side panels and the series strip.
  firstPaint.then(() => {
    if (disposed) return;
    side.append(aiPanel, corrPanel, attrPanel);
    clear(strip, seriesList.map(thumb));
    markSelected();
  });
  const first = pickSeries(seriesList);
  if (seriesList.length) {
    const opening = openSeries(first, wantInstance); // starts the first requests before layout work
    if (!sized) resize(); // the slice may be in before the first layout (else the ResizeObserver has sized the canvas)
    await opening;
  } else {
    if (!sized) resize();
    message.hidden = false;
    message.textContent = 'This study has no series.';
    firstShown();
  }
  // Then the rest: header, thumbnails, export.
  await firstPaint;
  getJson('/api/worklist?sort=date').then(rows => {
    const s = rows.find(r => r.studyInstanceUid === studyUid);
    if (!s) return;
    title.textContent = `${personName(s.patientName)} · ${s.patientId ?? ''} · ${fmtDate(s.studyDate)} · ${s.studyDescription ?? ''}`;
    ovTL.textContent = `${personName(s.patientName)}\n${s.patientId ?? ''}\n${fmtDate(s.studyDate)}`;
  }).catch(() => {});
  const updateSeriesOverlay = () => { const s = seriesList[seriesIndex]; ovTR.textContent = s ? `Series ${s.seriesNumber ?? ''} ${s.modality ?? ''}\n${s.seriesDescription ?? ''}` : ''; };
  updateSeriesOverlay();
  strip.addEventListener('click', () => setTimeout(updateSeriesOverlay, 0));
  loadThumbnails();
  exists('/api/studies/-/export').then(ok => { exportLink.hidden = !ok; });
  canvas.focus();

  return {
    unmount() {
      disposed = true;
      document.removeEventListener('keydown', onKey);
      observer.disconnect();
      root.classList.remove('full');
      document.body.classList.remove('fullscreen');
      delete window.__ecViewer;
    },
  };
}
