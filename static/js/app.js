// Small behaviours that a strict Content-Security-Policy allows (no inline handlers).
document.addEventListener("change", (event) => {
  const select = event.target.closest(".js-language-switch select");
  if (select) select.form.submit();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
