// A small SVG line chart, drawn here so that the report needs no external service: panels side
// by side, each with categorical x steps, a linear y axis from zero and one line per series.

const colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
const escape = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");

/// A "nice" axis maximum and step for values up to `max`.
function axis(max) {
  const raw = (max || 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return { step, top: Math.ceil((max || 1) / step) * step };
}

/// `panels`: [{ title, yLabel, xLabel, steps: [x...], series: [{ name, values: [y...] }] }].
export function lineChart({ title, subtitle, panels }) {
  const width = 460;
  const height = 300;
  const margin = { left: 62, right: 16, top: 34, bottom: 46 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const parts = [];
  panels.forEach((panel, p) => {
    const ox = p * width;
    const all = panel.series.flatMap((s) => s.values).filter(Number.isFinite);
    const { step, top } = axis(Math.max(...all));
    const x = (i) => ox + margin.left + (panel.steps.length === 1 ? plotW / 2 : (i * plotW) / (panel.steps.length - 1));
    const y = (v) => margin.top + 40 + plotH - (v / top) * plotH;
    parts.push(`<text x="${ox + width / 2}" y="${58}" text-anchor="middle" font-weight="bold">${escape(panel.title)}</text>`);
    for (let v = 0; v <= top + step / 2; v += step) {
      parts.push(`<line x1="${ox + margin.left}" x2="${ox + width - margin.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
      parts.push(`<text x="${ox + margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toFixed(3)}</text>`);
    }
    panel.steps.forEach((s, i) => parts.push(`<text x="${x(i)}" y="${margin.top + 40 + plotH + 18}" text-anchor="middle">${escape(s)}</text>`));
    parts.push(`<text x="${ox + margin.left + plotW / 2}" y="${margin.top + 40 + plotH + 38}" text-anchor="middle">${escape(panel.xLabel)}</text>`);
    parts.push(`<text transform="translate(${ox + 16} ${margin.top + 40 + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>`);
    panel.series.forEach((series, k) => {
      const points = series.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
      parts.push(`<polyline fill="none" stroke="${colours[k % colours.length]}" stroke-width="2" points="${points.join(" ")}"/>`);
      for (const point of points) {
        const [cx, cy] = point.split(",");
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colours[k % colours.length]}"/>`);
      }
      const lx = ox + margin.left + 10 + k * 120;
      parts.push(`<rect x="${lx}" y="${height + 24}" width="12" height="12" fill="${colours[k % colours.length]}"/>`);
      parts.push(`<text x="${lx + 16}" y="${height + 34}">${escape(series.name)}</text>`);
    });
  });
  const totalW = width * panels.length;
  const totalH = height + 48;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${totalW / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>
<text x="${totalW / 2}" y="38" text-anchor="middle" fill="#555">${escape(subtitle)}</text>
${parts.join("\n")}
</svg>
`;
}
