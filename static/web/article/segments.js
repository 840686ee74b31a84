/* Highlight segments. The text is rendered once by the server as escaped text; it is split into
 * <span> segments at every claim boundary (each segment knows the claims covering it) and never
 * re-rendered: a new claim splits at most two segments, a decision restyles only that claim's segments. */
import { claims, state, text, textEl } from "./state.js";

function makeSeg(start, end, ids) {
  const el = document.createElement("span");
  el.textContent = text.slice(start, end);
  const seg = { start, end, ids, el };
  el._seg = seg;
  return seg;
}

export function buildSegments() {
  const startsAt = new Map(), endsAt = new Map(), bounds = new Set([0, text.length]);
  for (const claim of state.order) {
    if (!claim.placed) continue;
    bounds.add(claim.u0); bounds.add(claim.u1);
    (startsAt.get(claim.u0) || startsAt.set(claim.u0, []).get(claim.u0)).push(claim.id);
    (endsAt.get(claim.u1) || endsAt.set(claim.u1, []).get(claim.u1)).push(claim.id);
  }
  const points = [...bounds].sort((a, b) => a - b);
  const active = new Set();
  const fragment = document.createDocumentFragment();
  const segs = [];
  for (let i = 0; i < points.length - 1; i++) {
    const pos = points[i];
    for (const id of endsAt.get(pos) || []) active.delete(id);
    for (const id of startsAt.get(pos) || []) active.add(id);
    const seg = makeSeg(pos, points[i + 1], new Set(active));
    for (const id of active) claims.get(id).segs.push(seg);
    segs.push(seg);
    fragment.appendChild(seg.el);
  }
  state.segs = segs;
  textEl.textContent = "";
  textEl.appendChild(fragment);
}

function segIndexAt(pos) { // index of the segment containing pos (the last one starting at or before it)
  const segs = state.segs;
  let lo = 0, hi = segs.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (segs[mid].start <= pos) lo = mid; else hi = mid - 1; }
  return lo;
}

function splitAt(pos) {
  if (pos <= 0 || pos >= text.length) return;
  const index = segIndexAt(pos);
  const seg = state.segs[index];
  if (seg.start === pos) return;
  const tail = makeSeg(pos, seg.end, new Set(seg.ids));
  seg.end = pos;
  seg.el.textContent = text.slice(seg.start, pos);
  seg.el.after(tail.el);
  state.segs.splice(index + 1, 0, tail);
  for (const id of seg.ids) {
    const list = claims.get(id).segs;
    list.splice(list.indexOf(seg) + 1, 0, tail);
  }
  tail.el.className = seg.el.className;
}

export function placeClaim(claim) { // a new claim: split at its ends, then join the segments inside
  if (!claim.placed) return;
  splitAt(claim.u0); splitAt(claim.u1);
  claim.segs = [];
  const segs = state.segs;
  for (let i = segIndexAt(claim.u0); i < segs.length && segs[i].start < claim.u1; i++) {
    segs[i].ids.add(claim.id);
    claim.segs.push(segs[i]);
  }
}

export function visibleAt(seg) {
  const out = [];
  for (const id of seg.ids) { const c = claims.get(id); if (c.visible) out.push(c); }
  return out.sort((a, b) => (a.u1 - a.u0) - (b.u1 - b.u0) || a.id - b.id); // innermost first
}

export function styleSeg(seg) {
  const shown = visibleAt(seg);
  if (!shown.length) { seg.el.className = ""; seg.el.removeAttribute("data-verdict"); return; }
  const classes = ["hl"];
  let candidate = false, accepted = false, anonStart = false, selected = false, linked = false, verdict = null, possible = false;
  for (const c of shown) {
    if (c.status === "candidate") candidate = true;
    else if (c.status === "accepted") accepted = true;
    if (c.anonymous && c.segs[0] === seg) anonStart = true;
    if (c.verdict && c.segs[c.segs.length - 1] === seg) {
      possible = !c.verdict.confirmed;
      verdict = possible ? `possibly: ${c.verdict.label}` : c.verdict.label;
    }
    if (c.id === state.selectedId) selected = true;
    if (c.id === state.linkedId) linked = true;
  }
  if (accepted) classes.push("hl-acc");
  if (candidate) classes.push("hl-cand");
  if (!accepted && !candidate) classes.push("hl-rej");
  if (shown.length > 1) classes.push("hl-multi");
  if (anonStart) classes.push("hl-anon");
  if (selected) classes.push("is-selected");
  if (linked) classes.push("is-linked");
  if (verdict) { classes.push("hl-verdict"); if (possible) classes.push("hl-verdict-possible"); seg.el.dataset.verdict = verdict; }
  else seg.el.removeAttribute("data-verdict");
  seg.el.className = classes.join(" ");
}

export function restyleClaim(claim) { for (const seg of claim.segs) styleSeg(seg); }

/* DOM point (node, offset) inside the text -> UTF-16 offset, or null. */
export function pointToU16(node, offset) {
  if (node.nodeType === Node.TEXT_NODE) return node.parentNode._seg ? node.parentNode._seg.start + offset : null;
  if (node === textEl) return offset >= textEl.childNodes.length ? text.length : textEl.childNodes[offset]._seg.start;
  if (node._seg) return offset === 0 ? node._seg.start : node._seg.end;
  return null;
}

/* UTF-16 offset -> DOM point; at a segment boundary, preferEnd picks the end of the one before. */
export function domPoint(pos, preferEnd) {
  let index = segIndexAt(pos);
  if (preferEnd && index > 0 && state.segs[index].start === pos) index--;
  const seg = state.segs[index];
  return [seg.el.firstChild || seg.el, pos - seg.start];
}
