// The network diagram: one column per layer, each node a square with its map inside.

const EDGE_SAMPLES = 16;

function nodeSize(maxUnits) {
  return maxUnits <= 6 ? 40 : maxUnits <= 8 ? 34 : Math.max(12, Math.floor(300 / maxUnits));
}

// Where every node, bias marker and edge sits, for a canvas `width` pixels wide.
function layoutDiagram(view, width) {
  const units = view.layers.map((l) => l.units);
  const size = nodeSize(Math.max(...units));
  const gap = Math.round(size * 0.45);
  const top = 22;
  const height = top + Math.max(...units) * (size + gap) + 8;
  const left = 30;
  const right = 16;
  const span = Math.max(1, units.length - 1);
  const nodes = units.map((n, l) => {
    const cx = left + size / 2 + (l * (width - left - right - size)) / span;
    const colTop = top + ((Math.max(...units) - n) * (size + gap)) / 2;
    return Array.from({ length: n }, (_, u) => {
      const x = cx - size / 2;
      const y = colTop + u * (size + gap);
      const b = Math.max(6, Math.round(size / 5));
      return { l, u, x, y, size, bias: l === 0 ? null : { x: x - b - 2, y: y + size - b, size: b } };
    });
  });
  const edges = [];
  for (let l = 1; l < nodes.length; l++) {
    for (const a of nodes[l - 1]) {
      for (const b of nodes[l]) {
        const x0 = a.x + a.size, y0 = a.y + a.size / 2;
        const x1 = b.x - (b.bias ? b.bias.size + 2 : 0), y1 = b.y + b.size / 2;
        const mx = (x0 + x1) / 2;
        const curve = [x0, y0, mx, y0, mx, y1, x1, y1];
        edges.push({ l, from: a.u, to: b.u, curve, samples: sampleCurve(curve) });
      }
    }
  }
  return { width, height, size, nodes, edges };
}

function sampleCurve(c) {
  const out = [];
  for (let s = 0; s <= EDGE_SAMPLES; s++) {
    const t = s / EDGE_SAMPLES, m = 1 - t;
    const a = m * m * m, b = 3 * m * m * t, d = 3 * m * t * t, e = t * t * t;
    out.push([a * c[0] + b * c[2] + d * c[4] + e * c[6], a * c[1] + b * c[3] + d * c[5] + e * c[7]]);
  }
  return out;
}

function weightOf(view, l, i, j) {
  const w = view.weights[l - 1];
  return w.values[i * w.shape[1] + j];
}

function edgeWidth(w) {
  return Math.min(1 + Math.abs(w) * 1.8, 10);
}

function drawDiagram(ctx, view, layout, style, focus) {
  const { stops, discretize } = style;
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.lineCap = "round";
  for (const e of layout.edges) {
    const w = weightOf(view, e.l, e.from, e.to);
    const dim = view.off.has(`${e.l - 1},${e.from}`) || view.off.has(`${e.l},${e.to}`);
    const edited = view.editedEdges.has(`${e.l},${e.from},${e.to}`);
    const c = e.curve;
    ctx.beginPath();
    ctx.moveTo(c[0], c[1]);
    ctx.bezierCurveTo(c[2], c[3], c[4], c[5], c[6], c[7]);
    ctx.strokeStyle = rgbText(diverging(stops, (w + 1) / 2), dim ? 0.15 : 0.85);
    ctx.lineWidth = edgeWidth(w);
    ctx.setLineDash(edited ? [5, 4] : []);
    ctx.stroke();
    if (edited) {
      const [mx, my] = e.samples[EDGE_SAMPLES >> 1];
      ctx.setLineDash([]);
      ctx.fillStyle = "#222";
      ctx.beginPath();
      ctx.arc(mx, my, 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.setLineDash([]);
  for (const column of layout.nodes) {
    for (const node of column) {
      const layer = view.layers[node.l];
      const map = layer.maps[node.u];
      const off = view.off.has(`${node.l},${node.u}`);
      const table = levelTable(map, stops, discretize, off);
      const image = paintMap(style.pool, `node:${node.l}:${node.u}`, view.raw.node_grid, map.levels, table);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(image, node.x, node.y, node.size, node.size);
      const isFocus = focus && focus.l === node.l && focus.u === node.u;
      ctx.lineWidth = isFocus ? 3 : 1;
      ctx.strokeStyle = isFocus ? "#111" : off ? "#bbb" : "#555";
      ctx.strokeRect(node.x + 0.5, node.y + 0.5, node.size - 1, node.size - 1);
      if (off) {
        ctx.strokeStyle = "#888";
        ctx.beginPath();
        ctx.moveTo(node.x, node.y + node.size);
        ctx.lineTo(node.x + node.size, node.y);
        ctx.stroke();
      }
      if (node.bias) {
        const b = layer.bias[node.u];
        const bx = node.bias;
        ctx.fillStyle = rgbText(diverging(stops, (b + 1) / 2));
        ctx.fillRect(bx.x, bx.y, bx.size, bx.size);
        ctx.lineWidth = view.editedBiases.has(`${node.l},${node.u}`) ? 2.5 : 1;
        ctx.strokeStyle = ctx.lineWidth > 1 ? "#111" : "#666";
        ctx.strokeRect(bx.x + 0.5, bx.y + 0.5, bx.size - 1, bx.size - 1);
      }
    }
  }
  ctx.fillStyle = style.text;
  ctx.font = "11px sans-serif";
  ctx.textAlign = "center";
  const last = layout.nodes.length - 1;
  layout.nodes.forEach((column, l) => {
    const label = l === 0 ? "inputs" : l === last ? "output" : `hidden ${l}`;
    ctx.fillText(label, column[0].x + column[0].size / 2, 12);
  });
  ctx.textAlign = "right";
  layout.nodes[0].forEach((node) => {
    const name = view.raw.input_names ? view.raw.input_names[node.u] : `x${node.u + 1}`;
    ctx.fillText(name, node.x - 4, node.y + node.size / 2 + 4);
  });
}

function segmentDistance(px, py, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len)) : 0;
  return Math.hypot(px - a[0] - t * dx, py - a[1] - t * dy);
}

// What is under (px, py): a bias marker, then a node, then the nearest edge within reach.
function hitDiagram(view, layout, px, py) {
  const inside = (r) => px >= r.x - 1 && px <= r.x + r.size + 1 && py >= r.y - 1 && py <= r.y + r.size + 1;
  for (const column of layout.nodes) {
    for (const node of column) {
      if (node.bias && inside(node.bias)) return { kind: "bias", layer: node.l, unit: node.u };
    }
  }
  for (const column of layout.nodes) {
    for (const node of column) {
      if (inside(node)) return { kind: "neuron", layer: node.l, unit: node.u };
    }
  }
  let best = null;
  for (const e of layout.edges) {
    const reach = edgeWidth(weightOf(view, e.l, e.from, e.to)) / 2 + 3;
    for (let s = 0; s < EDGE_SAMPLES; s++) {
      const d = segmentDistance(px, py, e.samples[s], e.samples[s + 1]);
      if (d <= reach && (!best || d < best.d)) best = { d, e };
    }
  }
  return best ? { kind: "edge", layer: best.e.l, from: best.e.from, to: best.e.to } : null;
}
