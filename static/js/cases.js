// The case page. Everything works without this file; it only smooths the htmx row swaps and
// opens the collapsed section (<details>) that holds a linked anchor.

// Buttons only needed without JavaScript (e.g. "Assign" beside a select that saves on change).
function hideNoScriptButtons(root) {
  root.querySelectorAll(".js-hide").forEach((el) => el.classList.add("d-none"));
}

// A link to an anchor inside a collapsed section (a refusal's "→ Handover checklist", the
// "go to the form" link) opens every <details> around it, then shows it.
function openAnchor(hash, scroll) {
  if (!hash || hash.length < 2) return;
  let target;
  try {
    target = document.getElementById(decodeURIComponent(hash.slice(1)));
  } catch (error) {
    return;
  }
  if (!target) return;
  for (let node = target; node; node = node.parentElement) {
    if (node.tagName === "DETAILS" && !node.open) node.open = true;
  }
  if (scroll) target.scrollIntoView({ block: "start" });
}

window.addEventListener("hashchange", () => openAnchor(window.location.hash, true));
// A printed case page shows every section in full, not its one-line summary.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details.case-section").forEach((section) => {
    section.open = true;
  });
});
// A click on a link to the anchor already in the address bar fires no hashchange.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#"]');
  if (link && link.getAttribute("href") === window.location.hash) {
    openAnchor(window.location.hash, true);
  }
});

document.addEventListener("DOMContentLoaded", () => {
  hideNoScriptButtons(document);
  openAnchor(window.location.hash, true);
  // A form shown again with errors: bring the first marked field into view.
  if (document.getElementById("form-errors")) {
    const field = document.querySelector(".is-invalid, .invalid-feedback");
    if (field) {
      field.scrollIntoView({ block: "center" });
      if (typeof field.focus === "function") field.focus({ preventScroll: true });
    }
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  const row = event.detail.target;
  hideNoScriptButtons(document);
  if (row && row.classList && row.classList.contains("handover-row")) {
    row.classList.add("table-success");
    window.setTimeout(() => row.classList.remove("table-success"), 1200);
  }
});
