/* The sidebar's filter (status, type, minimum score): which claims are shown, in the list and in
 * the text, and the counts next to the status options. */
import { restyleClaim, styleSeg } from "./segments.js";
import { $, filter, state, STATUS_LABELS } from "./state.js";

function passes(claim) {
  if (filter.status === "open" && claim.status === "rejected") return false;
  if (!["open", "all"].includes(filter.status) && claim.status !== filter.status) return false;
  if (filter.type && claim.type !== filter.type) return false;
  if (filter.minScore !== null && claim.status === "candidate" && (claim.score === null || claim.score < filter.minScore)) return false;
  return true;
}

export function applyFilter() {
  let shown = 0;
  for (const claim of state.order) {
    claim.visible = passes(claim);
    if (claim.item) claim.item.hidden = !claim.visible;
    if (claim.visible) shown++;
  }
  for (const seg of state.segs) styleSeg(seg);
  updateCounts(shown);
}

export function refreshVisibility(claim) {
  claim.visible = passes(claim);
  if (claim.item) claim.item.hidden = !claim.visible;
  restyleClaim(claim);
  updateCounts();
}

function updateCounts(shown) {
  const counts = { candidate: 0, accepted: 0, rejected: 0 };
  let visible = 0;
  for (const claim of state.order) { counts[claim.status] = (counts[claim.status] || 0) + 1; if (claim.visible) visible++; }
  const select = $("f-status");
  for (const option of select.options) {
    if (counts[option.value] !== undefined) option.textContent = `${STATUS_LABELS[option.value]} (${counts[option.value]})`;
  }
  $("filter-count").textContent = `${shown === undefined ? visible : shown} of ${state.order.length} shown`;
}

/* The filter controls. */
export function bindFilterControls() {
  $("f-status").addEventListener("change", (e) => { filter.status = e.target.value; applyFilter(); });
  $("f-type").addEventListener("change", (e) => { filter.type = e.target.value; applyFilter(); });
  $("f-score").addEventListener("input", (e) => {
    const value = parseFloat(e.target.value);
    filter.minScore = Number.isFinite(value) ? value : null;
    applyFilter();
  });
  $("f-score-all").addEventListener("click", () => {
    $("f-score").value = "";
    filter.minScore = null;
    applyFilter();
  });
}
