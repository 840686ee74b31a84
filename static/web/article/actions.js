/* What the editor does to claims, each one request to the server: accept/reject, edit, bulk
 * decisions, undo, move a claim's edges (marking a new claim is in selection.js). A 409 (someone else
 * changed the claim) opens the conflict box with a retry at the current version. */
import { applyFilter } from "./filter.js";
import { placeHandles } from "./handles.js";
import { buildSegments } from "./segments.js";
import { fillItem, renderDetail, showConflict, snippet, update } from "./sidebar.js";
import { $, adopt, byTextOrder, claims, clusterAt, config, post, state, text, toast, u16ToCp, url } from "./state.js";

export async function decide(claim, decision, version = claim.version) {
  if (!config.canCurate || !claim) return;
  const started = performance.now();
  const body = new URLSearchParams({ version });
  const result = await post(url(decision, claim.id), body);
  if (result.ok) {
    const answered = performance.now();
    update(result.data.claim);
    window.__wbTimings = { request: answered - started, render: performance.now() - answered };
    offerUndo(decision === "accept" ? "Accepted." : "Rejected.", result.data.undo);
  } else if (result.status === 409) {
    showConflict(claim, result.data, (v) => decide(claims.get(claim.id), decision, v));
  } else {
    toast(result.data.message || "That did not work.", { kind: "error" });
  }
}

export async function saveEdits(claim, values, version = claim.version) {
  const body = new URLSearchParams({ version });
  for (const [key, value] of Object.entries(values)) body.set(key, typeof value === "boolean" ? (value ? "true" : "false") : value);
  const result = await post(url("update", claim.id), body);
  if (result.ok) {
    update(result.data.claim);
    offerUndo("Saved.", result.data.undo);
  } else if (result.status === 409) {
    showConflict(claim, result.data, (v) => saveEdits(claims.get(claim.id), values, v));
  } else {
    toast(result.data.message || "That did not work.", { kind: "error" });
  }
}

function bulkTargets(decision) {
  const target = decision === "accept" ? "accepted" : "rejected";
  return state.order.filter((c) => c.visible && c.status !== target).map((c) => c.id);
}

export async function bulk(decision) {
  const ids = bulkTargets(decision);
  if (!ids.length) { toast("Nothing shown to change.", { timeout: 2500 }); return; }
  // each claim at the version shown: one someone else changed meanwhile is skipped, and said so
  const result = await post(config.urls.bulk, { decision, claims: ids.map((id) => ({ id, version: claims.get(id).version })) });
  if (!result.ok) { toast(result.data.message || "That did not work.", { kind: "error" }); return; }
  for (const data of result.data.claims) update(data);
  state.lastUndo = result.data.undo || null;
  const kind = result.data.skipped && result.data.skipped.length ? "warning" : "success";
  toast(result.data.message, { kind, timeout: 12000, action: state.lastUndo ? { label: "Undo (u)", run: undo } : undefined });
}

function offerUndo(message, token) { // a single decision or edit: undoable for a while, `u` or the button
  if (token) state.lastUndo = token;
  toast(message, { kind: "success", timeout: 8000, action: token ? { label: "Undo (u)", run: undo } : undefined });
}

export async function undo() {
  if (!state.lastUndo) { toast("Nothing to undo.", { timeout: 2500 }); return; }
  const tokens = state.lastUndo;
  state.lastUndo = null;
  const result = await post(config.urls.undo, { undo: tokens });
  if (!result.ok) { toast(result.data.message || "Undo failed.", { kind: "error" }); return; }
  for (const data of result.data.claims) update(data);
  toast(result.data.message, { kind: result.data.conflicts && result.data.conflicts.length ? "warning" : "success" });
}

/* --- moving a claim's edges ------------------------------------------------------------------- */
function rebuild() { // edges moved: the segments are cut afresh (the text itself is never re-rendered)
  for (const claim of claims.values()) claim.segs = [];
  state.order.sort(byTextOrder);
  buildSegments();
  applyFilter();
  placeHandles();
}

/* The claim's span becomes [a, b) (UTF-16 units, widened to whole grapheme clusters). */
export async function moveSpan(claim, a, b, version = claim.version) {
  if (!config.canCurate || !claim || state.spanBusy) return;
  a = clusterAt(a)[0]; // never split what readers see as one character
  b = clusterAt(Math.max(a, b - 1))[1];
  if (a === claim.u0 && b === claim.u1) return;
  state.spanBusy = true;
  const body = new URLSearchParams({ version, start: u16ToCp(a), end: u16ToCp(b), exact: text.slice(a, b), units: "codepoint" });
  const result = await post(url("span", claim.id), body);
  state.spanBusy = false;
  if (result.ok) {
    adopt(result.data.claim);
    rebuild();
    fillItem(claim);
    renderDetail();
    $("span-status").textContent = `Span: “${snippet(claim, 120)}”`;
  } else if (result.status === 409) {
    showConflict(claim, result.data, (v) => moveSpan(claims.get(claim.id), a, b, v));
  } else {
    toast(result.data.message || "The span could not be changed.", { kind: "error", timeout: 8000 });
  }
}
