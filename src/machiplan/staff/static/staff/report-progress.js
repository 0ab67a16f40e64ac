// Follows a report generation (staff/report_run.html): asks its state every two seconds, shows
// the step and the progress bar, and reloads the page once it has finished or stopped. Without
// JavaScript, the page's <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var step = document.getElementById("run-step");
  var bar = document.getElementById("run-bar");
  var state = document.getElementById("run-state");
  function ask() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) {
        if (!run) { window.setTimeout(ask, 5000); return; }
        if (run.finished) { window.location.reload(); return; }
        if (step.textContent !== run.label) { step.textContent = run.label; }
        if (state) { state.textContent = run.label.split(/[：:]/)[0]; }
        bar.max = run.steps;
        bar.value = run.steps_done;
        bar.textContent = run.steps_done + " / " + run.steps;
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
})();
