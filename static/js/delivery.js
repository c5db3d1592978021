// The dispatch form: "sent to" follows the method chosen, with the address, e-mail or messaging
// account the contract names, unless the clerk has typed something else.
(function () {
  "use strict";
  var data = document.getElementById("notice-addresses");
  var form = document.querySelector(".js-delivery-form");
  if (!data || !form) return;
  var addresses = JSON.parse(data.textContent);
  var method = form.querySelector("[name=method]");
  var address = form.querySelector("[name=address]");
  if (!method || !address) return;
  var filled = address.value;
  method.addEventListener("change", function () {
    if (address.value === filled) {
      filled = addresses[method.value] || "";
      address.value = filled;
    }
  });
})();
