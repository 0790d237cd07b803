/* "Add a row" for a Django formset: a container with data-formset="<prefix>" holds the rows' <tbody>,
   a <template> with the formset's empty form (its fields named <prefix>-__prefix__-…) and a button with
   data-formset-add. A click appends a copy of the template, numbered from the formset's TOTAL_FORMS, and
   counts it there, so the server reads the new row like the others. Without JavaScript the spare rows the
   server renders still work. */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-formset]").forEach(box => {
    const prefix = box.dataset.formset;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    const template = box.querySelector("template");
    const rows = box.querySelector("tbody");
    const button = box.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !button) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const n = Number(total.value);
      if (max && n >= Number(max.value)) return;
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(n)));
      total.value = String(n + 1);
      rows.lastElementChild?.querySelector("select, input")?.focus();
    });
  });
});
