// Partner and contract forms: show what fits the choices made (no inline scripts under the CSP).
(() => {
  const partnerForm = document.querySelector(".js-partner-form");
  if (partnerForm) {
    const kind = partnerForm.querySelector("#id_kind");
    const creatorOnly = partnerForm.querySelectorAll(".js-creator-only");
    const mcnField = partnerForm.querySelector("#div_id_mcn");
    const update = () => {
      const isAgency = kind && kind.value === "agency";
      creatorOnly.forEach((el) => el.classList.toggle("d-none", isAgency));
      const mcn = partnerForm.querySelector("#id_mcn");
      const hideMcn = kind && kind.value !== "creator" && !(mcn && mcn.value);
      if (mcnField) mcnField.classList.toggle("d-none", hideMcn);
    };
    if (kind) kind.addEventListener("change", update);
    update();
  }

  const contractForm = document.querySelector(".js-contract-form");
  if (contractForm) {
    const written = contractForm.querySelector("#id_written");
    const label = contractForm.querySelector("label[for='id_signed_document']");
    const chatNote = document.getElementById("js-chat-evidence");
    const channel = contractForm.querySelector("#id_channel");
    const laikeOnly = contractForm.querySelectorAll(".js-laike-only");
    const update = () => {
      const chatOnly = written && !written.checked;
      if (label) label.textContent = chatOnly ? contractForm.dataset.labelChat : contractForm.dataset.labelWritten;
      if (chatNote) chatNote.classList.toggle("d-none", !chatOnly);
      const laike = channel && channel.value === "laike";
      laikeOnly.forEach((el) => el.classList.toggle("d-none", !laike));
    };
    if (written) written.addEventListener("change", update);
    if (channel) channel.addEventListener("change", update);
    update();
  }
})();
