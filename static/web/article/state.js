/* What the article view's modules share: the page's data and elements, the claims, the segments,
 * what is selected and the filter. The only module that does work when imported (it reads the
 * page once; module scripts run after the document is parsed, after app.js). */
import { createOffsets } from "./offsets.js";

export const { post, toast } = window.Workbench;
export const config = JSON.parse(document.getElementById("article-config").textContent);
export const initialClaims = JSON.parse(document.getElementById("claims-data").textContent);
export const textEl = document.getElementById("article-text");
export const listEl = document.getElementById("claim-list");
export const detailEl = document.getElementById("claim-detail");
export const tipEl = document.getElementById("hl-tip");
export const menuEl = document.getElementById("selection-menu");
export const $ = (id) => document.getElementById(id);
export const TYPE_LABELS = Object.fromEntries(config.types);
export const STATUS_LABELS = { candidate: "Undecided", accepted: "Accepted", rejected: "Rejected" };
export const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

export const text = textEl.textContent;
export const { cpToU16, u16ToCp, clusterAt } = createOffsets(text);

export const claims = new Map(); // id -> claim (server payload + u0, u1, segs, item, visible)
export const state = {
  order: [], // claims in text order
  segs: [], // segments in text order, covering the whole text
  selectedId: null,
  linkedId: null,
  pendingSelection: null, // [u0, u1] snapped, waiting for "Mark as claim"
  lastUndo: null,
  spanBusy: false, // a span change is on its way to the server
};
// The score filter starts at the configured threshold (the field's initial value); it hides
// undecided candidates below it, never claims an editor decided.
const initialScore = parseFloat(document.getElementById("f-score").value);
export const filter = { status: "open", type: "", minScore: Number.isFinite(initialScore) ? initialScore : null };

export function selectedClaim() { return state.selectedId !== null ? claims.get(state.selectedId) : null; }

export function byTextOrder(a, b) { return a.u0 - b.u0 || a.u1 - b.u1 || a.id - b.id; }

export function adopt(data) {
  const claim = Object.assign(claims.get(data.id) || { segs: [], item: null, visible: false }, data);
  claim.u0 = cpToU16(claim.start);
  claim.u1 = cpToU16(claim.end);
  claim.placed = claim.anchor !== "orphan" && claim.start < claim.end && claim.u1 <= text.length;
  claims.set(claim.id, claim);
  return claim;
}

export function url(name, id) { return config.urls[name].replace("{id}", id); }
