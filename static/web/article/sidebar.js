/* The sidebar: the claim list, kept in sync with the highlights (hovering either links the two,
 * clicking either selects the claim), the claim panel (the selected claim's details and edit form,
 * its possible verdict link, the conflict box when someone else changed the claim meanwhile), and
 * the tooltip over the text. */
import { refreshVisibility } from "./filter.js";
import { placeHandles } from "./handles.js";
import { placeClaim, restyleClaim, visibleAt } from "./segments.js";
import {
  $, adopt, byTextOrder, claims, config, detailEl, listEl, post, reduceMotion, state, STATUS_LABELS, text, textEl,
  tipEl, toast, TYPE_LABELS, url,
} from "./state.js";

export function snippet(claim, max = 180) {
  const quote = text.slice(claim.u0, Math.min(claim.u1, text.length)).replace(/\s+/g, " ").trim();
  return quote.length > max ? quote.slice(0, max - 1) + "…" : quote;
}

function chip(cls, label, title) {
  const el = document.createElement("span");
  el.className = cls; el.textContent = label;
  if (title) el.title = title;
  return el;
}

export function fillItem(claim) {
  const item = claim.item;
  item.className = `ci ci-${claim.status}${claim.id === state.selectedId ? " is-selected" : ""}${claim.id === state.linkedId ? " is-linked" : ""}`;
  const button = item.firstChild;
  button.textContent = "";
  const quote = document.createElement("span");
  quote.className = "ci-text";
  quote.textContent = claim.placed ? snippet(claim) : `(not found in the current text) ${claim.anchor}`;
  const meta = document.createElement("span");
  meta.className = "ci-meta";
  meta.appendChild(chip(`badge badge-${claim.status}`, STATUS_LABELS[claim.status] || claim.status));
  meta.appendChild(chip("ci-type", claim.type_label || TYPE_LABELS[claim.type] || claim.type));
  if (claim.score !== null && claim.score !== undefined) {
    meta.appendChild(chip(`score${claim.score >= config.threshold ? " score-high" : ""}`, claim.score.toFixed(2), "Check-worthiness score"));
  }
  if (claim.origin === "human") meta.appendChild(chip("ci-human", "by hand"));
  if (claim.speaker) meta.appendChild(chip("ci-speaker", claim.speaker, "Speaker"));
  if (claim.anonymous) meta.appendChild(chip("anon-chip", "anonymous source"));
  if (claim.verdict) meta.appendChild(verdictChip(claim.verdict, claim.verdict.label));
  button.appendChild(quote);
  button.appendChild(meta);
}

// A verdict is this mention's own only when a person confirmed it is the same claim; on a
// machine link it is "possibly the same claim", drawn differently.
function verdictChip(verdict, label) {
  return verdict.confirmed ? chip("verdict-chip", label, "Published verdict")
    : chip("verdict-chip verdict-possible", `possibly: ${verdict.label}`,
           "Possibly the same claim (linked by the matcher, not confirmed by a person)");
}

function makeItem(claim) {
  const item = document.createElement("li");
  item.id = `ci-${claim.id}`;
  item.dataset.id = claim.id;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ci-main";
  item.appendChild(button);
  claim.item = item;
  fillItem(claim);
  return item;
}

export function buildList() {
  const fragment = document.createDocumentFragment();
  for (const claim of state.order) fragment.appendChild(makeItem(claim));
  listEl.textContent = "";
  listEl.appendChild(fragment);
}

export function insertClaim(claim) { // a claim the server just created
  const order = state.order;
  let index = order.findIndex((other) => byTextOrder(claim, other) < 0);
  if (index < 0) index = order.length;
  order.splice(index, 0, claim);
  const item = makeItem(claim);
  if (index + 1 < order.length) listEl.insertBefore(item, order[index + 1].item); else listEl.appendChild(item);
  placeClaim(claim);
  refreshVisibility(claim);
}

export function update(data) { // the server's new state of a claim
  const claim = claims.get(data.id);
  if (!claim) return null;
  adopt(data);
  fillItem(claim);
  refreshVisibility(claim);
  if (claim.id === state.selectedId) renderDetail();
  return claim;
}

/* --- linking, selecting, tooltip ------------------------------------------------------------ */
function link(id) {
  if (state.linkedId === id) return;
  const previous = state.linkedId !== null ? claims.get(state.linkedId) : null;
  state.linkedId = id;
  if (previous) { restyleClaim(previous); if (previous.item) previous.item.classList.remove("is-linked"); }
  const claim = id !== null ? claims.get(id) : null;
  if (claim) { restyleClaim(claim); if (claim.item) claim.item.classList.add("is-linked"); }
}

function scrollToClaim(claim) {
  const behavior = reduceMotion ? "auto" : "smooth";
  if (claim.segs.length) claim.segs[0].el.scrollIntoView({ block: "center", behavior });
  if (claim.item && !claim.item.hidden) claim.item.scrollIntoView({ block: "nearest", behavior });
}

export function select(id, { scroll = false } = {}) {
  const previous = state.selectedId !== null ? claims.get(state.selectedId) : null;
  state.selectedId = id;
  if (previous) { restyleClaim(previous); fillItem(previous); }
  const claim = id !== null ? claims.get(id) : null;
  if (claim) {
    restyleClaim(claim); fillItem(claim);
    if (scroll) scrollToClaim(claim);
    if (history.replaceState) history.replaceState(null, "", `#claim-${claim.id}`);
  }
  hideConflict();
  renderDetail();
  placeHandles();
}

function showTip(seg, event) {
  const shown = visibleAt(seg);
  if (!shown.length) { tipEl.hidden = true; return; }
  tipEl.textContent = "";
  for (const claim of shown) {
    const row = document.createElement("div");
    row.className = "tip-row";
    const head = document.createElement("div");
    head.append(chip(`badge badge-${claim.status}`, STATUS_LABELS[claim.status]), " ", claim.type_label || claim.type);
    if (claim.score !== null && claim.score !== undefined) head.append(" · score ", chip("tip-score", claim.score.toFixed(2)));
    const who = document.createElement("div");
    // the role only when it adds something ("a senior administration official" already says it)
    const role = claim.speaker_role && !(claim.speaker || "").toLowerCase().includes(claim.speaker_role.toLowerCase())
      ? `, ${claim.speaker_role}` : "";
    who.textContent = `Speaker: ${claim.speaker || "—"}${role}`;
    row.append(head, who);
    if (claim.anonymous) row.appendChild(chip("anon-chip", "anonymous source"));
    if (claim.verdict) row.append(" ", verdictChip(claim.verdict, `Verdict: ${claim.verdict.label}`));
    tipEl.appendChild(row);
  }
  tipEl.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - tipEl.offsetWidth - 8);
  const y = event.clientY + 18 + tipEl.offsetHeight > window.innerHeight ? event.clientY - tipEl.offsetHeight - 10 : event.clientY + 18;
  tipEl.style.left = `${x}px`;
  tipEl.style.top = `${y}px`;
}

/* --- the claim panel ---------------------------------------------------------------------- */
export function renderDetail() {
  const claim = state.selectedId !== null ? claims.get(state.selectedId) : null;
  if (!claim) { detailEl.hidden = true; return; }
  detailEl.hidden = false;
  detailEl.dataset.id = claim.id;
  const status = $("cd-status");
  status.className = `badge badge-${claim.status}`;
  status.textContent = STATUS_LABELS[claim.status] || claim.status;
  const meta = [claim.origin === "human" ? "marked by hand" : "machine candidate"];
  if (claim.score !== null && claim.score !== undefined) meta.push(`score ${claim.score.toFixed(2)}`);
  if (claim.assignee) meta.push(`assigned to ${claim.assignee}`);
  $("cd-meta").textContent = meta.join(" · ");
  $("cd-quote").textContent = claim.placed ? text.slice(claim.u0, claim.u1) : "(this claim's text is no longer in the article)";
  const verdict = $("cd-verdict");
  verdict.hidden = !claim.verdict;
  if (claim.verdict) {
    verdict.textContent = "";
    verdict.classList.toggle("cd-verdict-possible", !claim.verdict.confirmed);
    if (claim.verdict.confirmed) verdict.append("Published verdict: ", chip("verdict-chip", claim.verdict.label));
    else {
      verdict.append(`Possibly the same claim — verdict ${claim.verdict.label} on ${claim.verdict.date}. `,
                     "The matcher linked it; nobody has confirmed it is the same claim. ");
      if (config.canGroup) {
        const same = document.createElement("button");
        same.type = "button"; same.className = "btn btn-small btn-accept"; same.id = "cd-link-confirm"; same.textContent = "Same claim";
        same.addEventListener("click", () => linkDecision(claim, true));
        const notSame = document.createElement("button");
        notSame.type = "button"; notSame.className = "btn btn-small btn-reject"; notSame.id = "cd-link-detach"; notSame.textContent = "Not the same claim";
        notSame.addEventListener("click", () => linkDecision(claim, false));
        verdict.append(same, " ", notSame);
      }
    }
  }
  const overlaps = $("cd-overlaps");
  const others = new Set();
  for (const seg of claim.segs) for (const id of seg.ids) if (id !== claim.id && claims.get(id).visible) others.add(id);
  overlaps.hidden = !others.size;
  overlaps.textContent = "";
  if (others.size) {
    overlaps.append("Overlaps: ");
    for (const id of others) {
      const other = claims.get(id);
      const button = document.createElement("button");
      button.type = "button"; button.className = "linkbtn";
      button.textContent = `“${snippet(other, 50)}”`;
      button.addEventListener("click", () => select(id, { scroll: true }));
      overlaps.appendChild(button);
    }
  }
  if (config.canCurate) {
    $("cd-type").value = claim.type;
    $("cd-speaker").value = claim.speaker || "";
    $("cd-anon").checked = !!claim.anonymous;
    $("cd-accept").disabled = claim.status === "accepted";
    $("cd-reject").disabled = claim.status === "rejected";
  } else {
    const dl = $("cd-readonly");
    dl.textContent = "";
    for (const [term, value] of [["Type", claim.type_label], ["Speaker", claim.speaker || "—"], ["Anonymous source", claim.anonymous ? "yes" : "no"]]) {
      const dt = document.createElement("dt"); dt.textContent = term;
      const dd = document.createElement("dd"); dd.textContent = value;
      dl.append(dt, dd);
    }
  }
  $("cd-open").href = config.urls.detail.replace("{id}", claim.id);
  $("cd-person").hidden = !claim.person;  // the person the speaker's words name (People)
  if (claim.person) $("cd-person").href = config.urls.person.replace("{id}", claim.person);
}

async function linkDecision(claim, confirm) {
  const result = await post(url(confirm ? "linkConfirm" : "linkDetach", claim.id), new URLSearchParams({ version: claim.version }));
  if (result.ok) { update(result.data.claim); toast(result.data.message, { kind: "success", timeout: 4000 }); }
  else if (result.status === 409) showConflict(claim, result.data, () => linkDecision(claims.get(claim.id), confirm));
  else toast(result.data.message || "That did not work.", { kind: "error" });
}

/* --- conflicts (409: the claim changed since this page got it) -------------------------------- */
function hideConflict() { const box = $("cd-conflict"); if (box) { box.hidden = true; box.textContent = ""; } }

function describe(claim) {
  const parts = [STATUS_LABELS[claim.status] || claim.status, claim.type_label || TYPE_LABELS[claim.type] || claim.type];
  parts.push(`speaker ${claim.speaker ? `“${claim.speaker}”` : "none"}`);
  if (claim.anonymous) parts.push("anonymous source");
  return parts.join(", ");
}

function describeMine(yours) {
  if (yours.action === "accept") return "accept it";
  if (yours.action === "reject") return "reject it";
  const parts = [];
  if (yours.claim_type) parts.push(`type ${TYPE_LABELS[yours.claim_type] || yours.claim_type}`);
  if (yours.speaker !== undefined) parts.push(`speaker “${yours.speaker}”`);
  if (yours.is_anonymous_source !== undefined) parts.push(yours.is_anonymous_source ? "anonymous source" : "not anonymous");
  return parts.length ? `set ${parts.join(", ")}` : "change it";
}

/* Theirs against mine, with "apply mine on top" (retry(version) with the current version) or "keep theirs". */
export function showConflict(claim, data, retry) {
  if (data.current) update(data.current);
  select(claim.id);
  const box = $("cd-conflict");
  box.textContent = "";
  const title = document.createElement("strong");
  title.textContent = "Someone else changed this claim while you were working on it.";
  const theirs = document.createElement("p");
  theirs.textContent = `Theirs (as it is now): ${describe(claim)}.`;
  const mine = document.createElement("p");
  mine.textContent = `Yours (not applied yet): ${describeMine(data.yours || {})}.`;
  const apply = document.createElement("button");
  apply.type = "button"; apply.className = "btn btn-small btn-primary"; apply.textContent = "Apply mine on top of theirs";
  apply.addEventListener("click", () => { hideConflict(); retry(claims.get(claim.id).version); });
  const keep = document.createElement("button");
  keep.type = "button"; keep.className = "btn btn-small btn-quiet"; keep.textContent = "Keep theirs";
  keep.addEventListener("click", () => { hideConflict(); renderDetail(); });
  box.append(title, theirs, mine, apply, " ", keep);
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
}

/* Hover and click on the highlights and on the list. */
export function bindSidebar() {
  textEl.addEventListener("mouseover", (event) => {
    const seg = event.target._seg;
    if (!seg) return;
    const shown = visibleAt(seg);
    link(shown.length ? shown[0].id : null);
  });
  textEl.addEventListener("mousemove", (event) => { if (event.target._seg) showTip(event.target._seg, event); });
  textEl.addEventListener("mouseleave", () => { link(null); tipEl.hidden = true; });

  textEl.addEventListener("click", (event) => {
    const seg = event.target._seg;
    if (!seg || !window.getSelection().isCollapsed) return;
    const shown = visibleAt(seg);
    if (!shown.length) return;
    const at = shown.findIndex((c) => c.id === state.selectedId);
    select(shown[(at + 1) % shown.length].id); // a second click where claims overlap picks the next one
  });

  listEl.addEventListener("mouseover", (event) => {
    const item = event.target.closest(".ci");
    if (item) link(Number(item.dataset.id));
  });
  listEl.addEventListener("mouseleave", () => link(null));
  listEl.addEventListener("focusin", (event) => {
    const item = event.target.closest(".ci");
    if (item) link(Number(item.dataset.id));
  });
  listEl.addEventListener("click", (event) => {
    const item = event.target.closest(".ci");
    if (item) select(Number(item.dataset.id), { scroll: true });
  });
}
