/* Copy buttons: a button with data-copy="id" copies that field's text. Hidden without JavaScript. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    if (!field) {
      return;
    }
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
      } catch (error) {
        field.select(); // no clipboard access (plain http): leave it selected for a long-press or Ctrl+C
        document.execCommand("copy");
      }
      button.textContent = button.dataset.copied;
      window.setTimeout(() => { button.textContent = label; }, 2000);
    });
  });
}());
