// The case page. Everything works without this file; it only smooths the htmx row swaps.

// Buttons only needed without JavaScript (e.g. "Assign" beside a select that saves on change).
function hideNoScriptButtons(root) {
  root.querySelectorAll(".js-hide").forEach((el) => el.classList.add("d-none"));
}

document.addEventListener("DOMContentLoaded", () => {
  hideNoScriptButtons(document);
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
