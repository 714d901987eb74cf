// The import forms (templates/imports/): once submitted, the button says the work is running and is
// not pressed twice; a confirm asks the server how far the import has come, once a second.
"use strict";

document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-busy]");
  if (!button) return;
  if (button.dataset.running) {
    event.preventDefault();
    return;
  }
  button.dataset.running = "1";
  button.textContent = button.dataset.busy;
  // Disabled after the submission has started: a disabled button would stop it.
  setTimeout(() => { button.disabled = true; }, 0);
  if (button.dataset.progressUrl) follow(button, event.target.querySelector("progress"));
});

function follow(button, bar) {
  const language = document.documentElement.lang || undefined;
  const number = (n) => n.toLocaleString(language);
  const ask = () => {
    fetch(button.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((progress) => {
        if (progress && progress.total > 0) {
          button.textContent = button.dataset.progressText
            .replace("%(done)s", number(progress.done))
            .replace("%(total)s", number(progress.total));
          if (bar) {
            bar.hidden = false;
            bar.max = progress.total;
            bar.value = progress.done;
          }
        }
        setTimeout(ask, 1000);
      })
      .catch(() => setTimeout(ask, 2000));
  };
  setTimeout(ask, 1000);
}
