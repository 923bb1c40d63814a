// The main plot (a map over the plane with the data points) and the loss chart.

const PLOT_MARGIN = { left: 36, right: 6, top: 6, bottom: 24 };
const LOSS_SIZE = { width: 320, height: 132 };
const LOSS_MARGIN = { left: 44, right: 8, top: 20, bottom: 22 };

function niceTicks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(+v.toFixed(10));
  return out;
}

function plotGeometry(view) {
  const plane = view.raw.plane;
  const [w, h] = plane.size;
  const [x0, x1] = plane.x_range, [y0, y1] = plane.y_range;
  const m = PLOT_MARGIN;
  return {
    width: w + m.left + m.right, height: h + m.top + m.bottom, w, h, m,
    toPx: (x, y) => [m.left + ((x - x0) / (x1 - x0)) * w, m.top + (1 - (y - y0) / (y1 - y0)) * h],
    toData: (px, py) => [x0 + ((px - m.left) / w) * (x1 - x0), y0 + (1 - (py - m.top) / h) * (y1 - y0)],
  };
}

function pointColour(view, style, label) {
  if (view.raw.kind === "regression") {
    return rgbText(diverging(style.stops, domainT(view.raw.label_range, label)));
  }
  return style.classes[Math.round(label) % style.classes.length];
}

// The map shown large: the focused neuron's (main grid if sent, else its node map) or the output's.
function mainImage(view, style, focus) {
  const last = view.layers.length - 1;
  const discretize = view.raw.discretize;
  if (!focus && view.raw.kind === "multiclass") {
    return paintClasses(style.pool, "main", view.raw.main_grid, view.layers[last].full, style.classes, discretize);
  }
  const { l, u } = focus || { l: last, u: 0 };
  const layer = view.layers[l];
  const full = layer.full && layer.full[u];
  const map = full || layer.maps[u];
  const n = full ? view.raw.main_grid : view.raw.node_grid;
  const stops = !focus && view.raw.kind === "binary" ? style.classStops : style.stops;
  const table = levelTable(map, stops, discretize, view.off.has(`${l},${u}`));
  return paintMap(style.pool, "main", n, map.levels, table);
}

function drawMain(ctx, view, geo, style, focus) {
  const { m, w, h } = geo;
  ctx.clearRect(0, 0, geo.width, geo.height);
  ctx.imageSmoothingEnabled = !view.raw.discretize;
  ctx.drawImage(mainImage(view, style, focus), m.left, m.top, w, h);
  ctx.strokeStyle = "#888";
  ctx.lineWidth = 1;
  ctx.strokeRect(m.left + 0.5, m.top + 0.5, w - 1, h - 1);
  const parts = [["train", view.train, "#fff"]];
  if (view.raw.show_test && view.test) parts.push(["test", view.test, "#000"]);
  for (const [, pts, edge] of parts) {
    ctx.strokeStyle = edge;
    for (let i = 0; i < pts.x.length; i++) {
      const [px, py] = geo.toPx(pts.x[i], pts.y[i]);
      if (px < m.left || px > m.left + w || py < m.top || py > m.top + h) continue;
      ctx.fillStyle = pointColour(view, style, pts.label[i]);
      ctx.beginPath();
      ctx.arc(px, py, 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  drawAxes(ctx, view.raw.plane, geo, style);
}

function drawAxes(ctx, plane, geo, style) {
  const { m, w, h } = geo;
  ctx.fillStyle = style.text;
  ctx.font = "10px sans-serif";
  ctx.textAlign = "center";
  for (const t of niceTicks(plane.x_range[0], plane.x_range[1], 5)) {
    const [px] = geo.toPx(t, plane.y_range[0]);
    ctx.fillText(String(t), px, m.top + h + 12);
  }
  ctx.fillText(plane.x_label, m.left + w / 2, m.top + h + 22);
  ctx.textAlign = "right";
  for (const t of niceTicks(plane.y_range[0], plane.y_range[1], 5)) {
    const [, py] = geo.toPx(plane.x_range[0], t);
    ctx.fillText(String(t), m.left - 4, py + 3);
  }
  ctx.save();
  ctx.translate(10, m.top + h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText(plane.y_label, 0, 0);
  ctx.restore();
}

// The shown data point under (px, py) within 5 pixels, else null.
function hitPoint(view, geo, px, py) {
  let best = null;
  const parts = [["train", view.train]];
  if (view.raw.show_test && view.test) parts.push(["test", view.test]);
  for (const [part, pts] of parts) {
    for (let i = 0; i < pts.x.length; i++) {
      const [qx, qy] = geo.toPx(pts.x[i], pts.y[i]);
      const d = Math.hypot(px - qx, py - qy);
      if (d <= 5 && (!best || d < best.d)) best = { d, part, index: i };
    }
  }
  return best && { kind: "point", part: best.part, index: best.index };
}

function lossGeometry(loss) {
  const { width, height } = LOSS_SIZE;
  const m = LOSS_MARGIN;
  const n = loss.epoch.length;
  const last = n ? loss.epoch[n - 1] : 1;
  let lo = Infinity, hi = -Infinity;
  for (const series of [loss.train, loss.test]) {
    if (!series) continue;
    for (const v of series) {
      if (!Number.isFinite(v) || (loss.logY && v <= 0)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi >= lo)) { lo = 0; hi = 1; }
  const f = loss.logY ? Math.log10 : (v) => v;
  const y0 = loss.logY ? f(lo) : 0, y1 = hi > lo || loss.logY ? f(hi) : hi + 1;
  const span = y1 > y0 ? y1 - y0 : 1;
  const w = width - m.left - m.right, h = height - m.top - m.bottom;
  return {
    width, height, m, w, h, last, lo, hi, f, y0, span,
    toPx: (e, v) => [m.left + (last > 1 ? ((e - 1) / (last - 1)) * w : 0), m.top + (1 - (f(v) - y0) / span) * h],
    epochAt: (px) => Math.max(1, Math.min(last, Math.round(1 + ((px - m.left) / w) * (last - 1)))),
  };
}

function drawLoss(ctx, view, geo, style) {
  const loss = view.loss;
  const { m, w, h } = geo;
  ctx.clearRect(0, 0, geo.width, geo.height);
  ctx.strokeStyle = "#ccc";
  ctx.lineWidth = 1;
  ctx.strokeRect(m.left + 0.5, m.top + 0.5, w - 1, h - 1);
  const series = [[loss.train, style.text, "train"], [loss.test, "#999", "test"]];
  series.forEach(([values, colour], k) => {
    if (!values || !values.length) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(k ? [4, 3] : []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) || (loss.logY && v <= 0)) { pen = false; continue; }
      const [px, py] = geo.toPx(loss.epoch[i], v);
      if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  });
  ctx.setLineDash([]);
  if (loss.marker != null && loss.epoch.length) {
    const [px] = geo.toPx(Math.min(loss.marker, geo.last), geo.lo);
    ctx.strokeStyle = "#d62728";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px, m.top);
    ctx.lineTo(px, m.top + h);
    ctx.stroke();
  }
  ctx.fillStyle = style.text;
  ctx.font = "10px sans-serif";
  ctx.textAlign = "right";
  const fmt = (v) => (Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? v.toExponential(1) : v.toPrecision(2));
  ctx.fillText(fmt(geo.hi), m.left - 4, m.top + 4);
  ctx.fillText(loss.logY ? fmt(geo.lo) : "0", m.left - 4, m.top + h);
  ctx.textAlign = "center";
  ctx.fillText(`epoch (1 to ${geo.last})${loss.logY ? ", log loss axis" : ""}`, m.left + w / 2, m.top + h + 14);
  // the legend sits above the plot area, where no line can cross it
  ctx.textAlign = "left";
  ctx.fillText("— train loss", m.left, 10);
  if (loss.test) {
    ctx.fillStyle = "#777";
    ctx.fillText(`- - ${loss.testLabel} loss`, m.left + 80, 10);
  }
}
