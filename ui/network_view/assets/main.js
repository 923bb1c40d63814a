// Entry point: Streamlit calls this with new `data` on every rerun, on the same parentElement,
// so one instance per parentElement keeps its canvases, listeners and hover state across calls.

const INSTANCES = new WeakMap();

function statsRecord(ms) {
  const s = (window.__nnViewStats = window.__nnViewStats || { frames: 0, total_ms: 0, max_ms: 0 });
  const now = performance.now();
  if (!s.frames) s.first_at = now;
  s.last_at = now;
  s.frames += 1;
  s.total_ms += ms;
  s.last_ms = ms;
  s.max_ms = Math.max(s.max_ms, ms);
  s.mean_ms = s.total_ms / s.frames;
  return s;
}

function sizeCanvas(canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr), h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function styleFrom(root, palette, pool) {
  const text = getComputedStyle(root).getPropertyValue("--st-text-color").trim() || "#31333f";
  const classes = palette.classes;
  return {
    text,
    pool,
    classes,
    stops: [palette.low, palette.mid, palette.high].map(hexRgb),
    classStops: [classes[0], palette.mid, classes[1]].map(hexRgb),
  };
}

function focusTitle(view, focus) {
  const raw = view.raw;
  const last = view.layers.length - 1;
  if (!focus) {
    if (raw.kind === "binary") {
      const name = raw.class_names ? raw.class_names[1] : "1";
      return `Output: P(class ${name}) over the plane`;
    }
    return raw.kind === "multiclass" ? "Output: the most likely class" : "Output: the predicted value";
  }
  const where = focus.l === 0 ? "Input" : focus.l === last ? "Output unit" : `Layer ${focus.l}, neuron`;
  const act = view.layers[focus.l].activation;
  return `${where} ${focus.u + 1}${focus.l === 0 ? "" : ` (${act})`}: its value over the plane`;
}

function redraw(inst) {
  const view = inst.view;
  if (!view) return;
  const t0 = performance.now();
  const focus = inst.hover || inst.pinned;
  const width = Math.max(320, inst.els.diagram.clientWidth || 440);
  inst.layout = layoutDiagram(view, width);
  const net = sizeCanvas(inst.els.net, inst.layout.width, inst.layout.height);
  drawDiagram(net, view, inst.layout, { ...inst.style, discretize: view.raw.discretize }, focus);
  inst.plot = plotGeometry(view);
  drawMain(sizeCanvas(inst.els.main, inst.plot.width, inst.plot.height), view, inst.plot, inst.style, focus);
  inst.lossGeo = lossGeometry(view.loss);
  drawLoss(sizeCanvas(inst.els.loss, LOSS_SIZE.width, LOSS_SIZE.height), view, inst.lossGeo, inst.style);
  inst.els.title.textContent = focusTitle(view, focus);
  inst.els.note.textContent = view.raw.plane.note;
  const eps = view.raw.epochs_per_second;
  inst.els.stats.textContent =
    `Epoch ${view.raw.epoch}` + (eps != null ? ` · ${eps.toFixed(1)} epochs/s` : "");
  // geometry on the elements, so a browser test can aim at a node, an edge or the plane
  inst.els.net.__layout = inst.layout;
  inst.els.main.__plot = { margin: inst.plot.m, w: inst.plot.w, h: inst.plot.h,
                           x_range: view.raw.plane.x_range, y_range: view.raw.plane.y_range };
  return performance.now() - t0;
}

function localXY(event, canvas) {
  const r = canvas.getBoundingClientRect();
  return [event.clientX - r.left, event.clientY - r.top];
}

function describe(view, hit) {
  if (!hit) return "";
  if (hit.kind === "edge") return `weight ${hit.from + 1} → ${hit.to + 1} (layer ${hit.layer}): ${weightOf(view, hit.layer, hit.from, hit.to).toFixed(3)}`;
  if (hit.kind === "bias") return `bias of layer ${hit.layer}, neuron ${hit.unit + 1}: ${view.layers[hit.layer].bias[hit.unit].toFixed(3)}`;
  return hit.layer === 0 ? `input ${hit.unit + 1}` : `layer ${hit.layer}, neuron ${hit.unit + 1}`;
}

function listen(inst) {
  const { net, main, loss, tip } = inst.els;
  const send = (event) => {
    inst.seq += 1;
    inst.setTriggerValue("click", { ...event, seq: inst.seq });
  };
  net.addEventListener("mousemove", (e) => {
    if (!inst.view) return;
    const [x, y] = localXY(e, net);
    const hit = hitDiagram(inst.view, inst.layout, x, y);
    const hover = hit && hit.kind === "neuron" ? { l: hit.layer, u: hit.unit } : null;
    tip.hidden = !hit;
    if (hit) {
      tip.textContent = describe(inst.view, hit);
      tip.style.left = `${x + 12}px`;
      tip.style.top = `${y + 12}px`;
    }
    if (JSON.stringify(hover) !== JSON.stringify(inst.hover)) {
      inst.hover = hover;
      redraw(inst);
    }
  });
  net.addEventListener("mouseleave", () => {
    tip.hidden = true;
    if (inst.hover) {
      inst.hover = null;
      redraw(inst);
    }
  });
  net.addEventListener("click", (e) => {
    if (!inst.view) return;
    const hit = hitDiagram(inst.view, inst.layout, ...localXY(e, net));
    if (!hit) {
      inst.pinned = null;
      redraw(inst);
      return;
    }
    if (hit.kind === "neuron") {
      const same = inst.pinned && inst.pinned.l === hit.layer && inst.pinned.u === hit.unit;
      inst.pinned = same ? null : { l: hit.layer, u: hit.unit };
      redraw(inst);
    }
    send(hit);
  });
  main.addEventListener("click", (e) => {
    if (!inst.view) return;
    const [px, py] = localXY(e, main);
    const { m, w, h } = inst.plot;
    if (px < m.left || px > m.left + w || py < m.top || py > m.top + h) return;
    const point = hitPoint(inst.view, inst.plot, px, py);
    if (point) return send(point);
    const [x, y] = inst.plot.toData(px, py);
    send({ kind: "plane", x, y });
  });
  loss.addEventListener("click", (e) => {
    if (!inst.view || !inst.view.loss.epoch.length) return;
    send({ kind: "epoch", epoch: inst.lossGeo.epochAt(localXY(e, loss)[0]) });
  });
}

export default function networkView(component) {
  const { data, parentElement, setTriggerValue } = component;
  let inst = INSTANCES.get(parentElement);
  if (!inst) {
    const q = (cls) => parentElement.querySelector(`.${cls}`);
    inst = {
      els: { root: q("nnv"), diagram: q("nnv-diagram"), net: q("nnv-net"), main: q("nnv-main"),
             loss: q("nnv-loss"), title: q("nnv-title"), note: q("nnv-note"), stats: q("nnv-stats"),
             tip: q("nnv-tip") },
      pool: new Map(), hover: null, pinned: null, seq: 0, view: null,
    };
    INSTANCES.set(parentElement, inst);
    listen(inst);
    inst.resize = new ResizeObserver(() => redraw(inst));
    inst.resize.observe(inst.els.diagram);
  }
  inst.setTriggerValue = setTriggerValue;
  if (!data) return () => inst.resize.disconnect();
  const t0 = performance.now();
  inst.view = decodePayload(data);
  inst.style = styleFrom(inst.els.root, data.palette, inst.pool);
  const n = inst.pinned && inst.view.layers[inst.pinned.l];
  if (!n || inst.pinned.u >= n.units) inst.pinned = null;
  const drawMs = redraw(inst);
  const s = statsRecord(performance.now() - t0);
  s.last_draw_ms = drawMs;
  s.epoch = data.epoch;
  return () => inst.resize.disconnect();
}
