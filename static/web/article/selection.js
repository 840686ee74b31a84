/* Selecting text to create a claim (snapped to whole words and grapheme clusters, then the
 * "Mark as claim" menu), and moving a selected claim's edges: drag handles, or by a word from the keyboard. */
import { moveSpan } from "./actions.js";
import { createHandles, handles, placeHandles } from "./handles.js";
import { domPoint, pointToU16 } from "./segments.js";
import { insertClaim, select } from "./sidebar.js";
import {
  $, adopt, clusterAt, config, menuEl, post, selectedClaim, state, text, textEl, toast, u16ToCp,
} from "./state.js";

/* --- snapping a selection ---------------------------------------------------------------------- */
const WORD = /[\p{L}\p{N}\p{M}_]/u;
function isWordUnit(i) {
  const ch = text[i];
  if (ch === undefined) return false;
  if (WORD.test(ch)) return true;
  if ("'’-‐".includes(ch)) return i > 0 && WORD.test(text[i - 1]) && WORD.test(text[i + 1] || "");
  return false;
}
export function snap(a, b) {
  while (a < b && /\s/.test(text[a])) a++;
  while (b > a && /\s/.test(text[b - 1])) b--;
  if (a >= b) return null;
  while (a > 0 && isWordUnit(a - 1) && isWordUnit(a)) a--;
  while (b < text.length && isWordUnit(b) && isWordUnit(b - 1)) b++;
  // Never split what readers see as one character (👍🏽, flags, a letter with combining accents):
  // the server refuses such spans. Snap both ends outwards to grapheme cluster boundaries.
  a = clusterAt(a)[0];
  b = clusterAt(b - 1)[1];
  return [a, b];
}

/* --- the "Mark as claim" menu ------------------------------------------------------------------ */
export function hideMenu() { if (menuEl) menuEl.hidden = true; state.pendingSelection = null; }

function onSelection() {
  if (!menuEl) return;
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) { hideMenu(); return; }
  const range = selection.getRangeAt(0);
  if (!textEl.contains(range.startContainer) || !textEl.contains(range.endContainer)) { hideMenu(); return; }
  const a = pointToU16(range.startContainer, range.startOffset);
  const b = pointToU16(range.endContainer, range.endOffset);
  if (a === null || b === null) { hideMenu(); return; }
  const snapped = snap(Math.min(a, b), Math.max(a, b));
  if (!snapped) { hideMenu(); return; }
  state.pendingSelection = snapped;
  const fixed = document.createRange();
  fixed.setStart(...domPoint(snapped[0], false));
  fixed.setEnd(...domPoint(snapped[1], true));
  selection.removeAllRanges();
  selection.addRange(fixed);
  const quote = text.slice(snapped[0], snapped[1]);
  $("sm-quote").textContent = quote.length > 140 ? `${quote.slice(0, 139)}…` : quote;
  menuEl.hidden = false;
  const rects = fixed.getClientRects();
  const rect = rects.length ? rects[rects.length - 1] : fixed.getBoundingClientRect();
  const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - menuEl.offsetWidth - 8));
  menuEl.style.left = `${left}px`;
  menuEl.style.top = `${rect.bottom + window.scrollY + 8}px`;
  state.pendingSelection = snapped;
}

export async function createClaim() {
  if (!state.pendingSelection) return;
  const started = performance.now();
  const [u0, u1] = state.pendingSelection;
  const exact = text.slice(u0, u1);
  const body = new URLSearchParams({
    article: config.article, start: u16ToCp(u0), end: u16ToCp(u1), exact, units: "codepoint",
    claim_type: $("sm-type").value,
  });
  hideMenu();
  window.getSelection().removeAllRanges();
  const result = await post(config.urls.create, body);
  if (!result.ok) { toast(result.data.message || "The claim could not be created.", { kind: "error", timeout: 10000 }); return; }
  const answered = performance.now();
  const claim = adopt(result.data.claim);
  insertClaim(claim);
  select(claim.id);
  window.__wbTimings = { request: answered - started, render: performance.now() - answered };
  toast("Claim marked.", { kind: "success", timeout: 2500 });
}

/* --- moving a claim's edges (Shift+←/→ the end, Alt+Shift+←/→ the start, or drag handles) -- */
function wordEdge(pos, direction, lo, hi) { // the next word boundary (words: runs of non-space) within [lo, hi]
  const space = (i) => /\s/.test(text[i]);
  let i = pos;
  if (direction > 0) {
    while (i < hi && space(i)) i++;
    while (i < hi && !space(i)) i++;
  } else {
    while (i > lo && space(i - 1)) i--;
    while (i > lo && !space(i - 1)) i--;
  }
  return i;
}

export function keyEdge(claim, edge, direction) {
  let [a, b] = [claim.u0, claim.u1];
  if (edge === "end") {
    b = direction > 0 ? wordEdge(b, 1, a, text.length) : wordEdge(b, -1, a, b);
    while (b > a && /\s/.test(text[b - 1])) b--; // an end never sits after white space
  } else {
    a = direction > 0 ? wordEdge(a, 1, a, b) : wordEdge(a, -1, 0, b);
    while (a < b && /\s/.test(text[a])) a++;
  }
  if (a >= b) { toast("A claim keeps at least one word.", { timeout: 2500 }); return; }
  moveSpan(claim, a, b);
}

function caretAt(x, y) { // UTF-16 offset in the text under a viewport point, or null
  let node, offset;
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    if (!p) return null;
    node = p.offsetNode; offset = p.offset;
  } else if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    if (!r) return null;
    node = r.startContainer; offset = r.startOffset;
  } else return null;
  return textEl.contains(node) ? pointToU16(node, offset) : null;
}

function dragHandle(el, event) {
  const claim = selectedClaim();
  if (!claim) return;
  event.preventDefault();
  el.setPointerCapture(event.pointerId);
  el.classList.add("is-dragging");
  const edge = el.dataset.edge;
  const move = (e) => { el.style.left = `${e.clientX + window.scrollX - 5}px`; };
  const up = (e) => {
    el.removeEventListener("pointermove", move);
    el.removeEventListener("pointerup", up);
    el.classList.remove("is-dragging");
    el.hidden = true; // out of the way of the hit test
    const pos = caretAt(e.clientX, e.clientY);
    el.hidden = false;
    if (pos === null) { placeHandles(); return; }
    // snap to a word boundary: the start to a word's beginning, the end to a word's end
    let a = claim.u0, b = claim.u1;
    if (edge === "start") {
      a = pos;
      while (a > 0 && !/\s/.test(text[a - 1])) a--;
      while (a < text.length && /\s/.test(text[a])) a++;
    } else {
      b = pos;
      while (b < text.length && !/\s/.test(text[b])) b++;
      while (b > 0 && /\s/.test(text[b - 1])) b--;
    }
    if (a >= b) { toast("A claim keeps at least one word.", { timeout: 2500 }); placeHandles(); return; }
    moveSpan(claim, a, b).then(placeHandles);
  };
  el.addEventListener("pointermove", move);
  el.addEventListener("pointerup", up);
}

/* The handles (for curators), the selection listeners and the menu's buttons. */
export function bindSelection() {
  if (config.canCurate) createHandles();
  for (const el of handles) el.addEventListener("pointerdown", (event) => dragHandle(el, event));
  window.addEventListener("resize", () => placeHandles());

  textEl.addEventListener("mouseup", () => setTimeout(onSelection, 0));
  textEl.addEventListener("keyup", (event) => { if (event.shiftKey) onSelection(); });
  if (menuEl) {
    $("sm-create").addEventListener("click", createClaim);
    $("sm-cancel").addEventListener("click", () => { hideMenu(); window.getSelection().removeAllRanges(); });
  }
}
