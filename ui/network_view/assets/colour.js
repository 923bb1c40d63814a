// Decoding the payload (see ui/network_view/payload.py) and colouring maps on <canvas>.

function bytesOf(b64) {
  const text = atob(b64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function f32(b64) {
  return b64 == null ? null : new Float32Array(bytesOf(b64).buffer);
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// t in [0, 1] -> [r, g, b] between the low, mid and high stops.
function diverging(stops, t) {
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const [a, b, u] = t < 0.5 ? [stops[0], stops[1], t * 2] : [stops[1], stops[2], t * 2 - 1];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

function rgbText(c, alpha = 1) {
  return `rgba(${c[0] | 0},${c[1] | 0},${c[2] | 0},${alpha})`;
}

// Where value v falls in a colour domain [c0, c1], as t in [0, 1].
function domainT(c, v) {
  return c[1] > c[0] ? (v - c[0]) / (c[1] - c[0]) : 0.5;
}

// 256 packed RGBA colours, one per uint8 level of a map; discretize keeps the two end colours.
function levelTable(map, stops, discretize, grey) {
  const table = new Uint32Array(256);
  const step = (map.hi - map.lo) / 255;
  for (let k = 0; k < 256; k++) {
    let t = domainT(map.c, map.lo + k * step);
    if (discretize) t = t < 0.5 ? 0 : 1;
    let c = diverging(stops, t);
    if (grey) {
      const g = (c[0] + c[1] + c[2]) / 3;
      c = [200 + g * 0.2, 200 + g * 0.2, 200 + g * 0.2];
    }
    table[k] = packRgba(c);
  }
  return table;
}

function packRgba(c) {
  // ImageData is RGBA in memory; Uint32 on little-endian machines reads it as ABGR
  return (255 << 24) | ((c[2] & 255) << 16) | ((c[1] & 255) << 8) | (c[0] & 255);
}

// An offscreen canvas holding one n x n map, row 0 (the lowest y) drawn at the bottom.
function paintMap(pool, slot, n, levels, table) {
  let entry = pool.get(slot);
  if (!entry || entry.n !== n) {
    const canvas = document.createElement("canvas");
    canvas.width = n;
    canvas.height = n;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(n, n);
    entry = { n, canvas, ctx, image, pixels: new Uint32Array(image.data.buffer) };
    pool.set(slot, entry);
  }
  const px = entry.pixels;
  for (let j = 0; j < n; j++) {
    const src = j * n;
    const dst = (n - 1 - j) * n;
    for (let i = 0; i < n; i++) px[dst + i] = table[levels[src + i]];
  }
  entry.ctx.putImageData(entry.image, 0, 0);
  return entry.canvas;
}

// Multi-class boundary: the most likely class's colour, paler where the net is unsure.
function paintClasses(pool, slot, n, maps, classes, discretize) {
  const k = maps.length;
  const steps = maps.map((m) => (m.hi - m.lo) / 255);
  const values = new Float32Array(n * n).fill(-1);
  const winner = new Uint8Array(n * n);
  for (let c = 0; c < k; c++) {
    const lv = maps[c].levels;
    for (let p = 0; p < n * n; p++) {
      const v = maps[c].lo + lv[p] * steps[c];
      if (v > values[p]) { values[p] = v; winner[p] = c; }
    }
  }
  const rgb = classes.map(hexRgb);
  const table = new Uint32Array(n * n);
  for (let p = 0; p < n * n; p++) {
    const sure = discretize ? 1 : Math.max(0, (values[p] - 1 / k) / (1 - 1 / k));
    const a = 0.25 + 0.75 * sure;
    const c = rgb[winner[p] % rgb.length];
    table[p] = packRgba([255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a]);
  }
  const identity = new Uint32Array(n * n);
  for (let p = 0; p < n * n; p++) identity[p] = p;
  // paintMap looks colours up by index: give it each pixel's own colour
  return paintMap(pool, slot, n, identity, table);
}

// Decode once per payload: levels and floats, so drawing only reads typed arrays.
function decodePayload(data) {
  const layers = data.layers.map((layer) => ({
    units: layer.units,
    activation: layer.activation,
    bias: f32(layer.bias),
    maps: layer.maps.map((m) => ({ ...m, levels: bytesOf(m.b64) })),
    full: layer.full ? layer.full.map((m) => (m ? { ...m, levels: bytesOf(m.b64) } : null)) : null,
  }));
  const weights = data.weights.map((w) => ({ shape: w.shape, values: f32(w.f32) }));
  const pts = (p) => (p ? { x: f32(p.x), y: f32(p.y), label: f32(p.label) } : null);
  const loss = data.loss;
  return {
    raw: data,
    layers,
    weights,
    train: pts(data.points.train),
    test: pts(data.points.test),
    loss: { epoch: f32(loss.epoch), train: f32(loss.train), test: f32(loss.test),
            logY: loss.log_y, marker: loss.marker, testLabel: loss.test_label || "test" },
    off: new Set((data.off || []).map((t) => t.join(","))),
    editedEdges: new Set((data.edited_edges || []).map((t) => t.join(","))),
    editedBiases: new Set((data.edited_biases || []).map((t) => t.join(","))),
  };
}
