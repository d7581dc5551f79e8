// The progress of running imports on a library's import pages: each
// .import-progress[data-status=running] asks GET /api/tenants/<library>/imports/<run>
// every 2 s; when the run has ended the page is loaded again (its items, its counts).
(function () {
  "use strict";
  const running = document.querySelectorAll('.import-progress[data-status="running"],' +
                                            '.import-progress[data-status="stopping"]');
  if (!running.length) {
    return;
  }
  function poll() {
    const asks = Array.from(running).map(function (box) {
      const url = "/api/tenants/" + encodeURIComponent(box.dataset.library) + "/imports/" +
        encodeURIComponent(box.dataset.run);
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (run) {
          if (!run) {
            return false;
          }
          const bar = box.querySelector("progress");
          bar.max = run.total || 1;
          bar.value = run.done;
          const count = box.querySelector(".import-count");
          count.textContent = count.dataset.template.replace("{done}", run.done)
            .replace("{total}", run.total);
          return run.status !== "running" && run.status !== "stopping";
        });
    });
    Promise.all(asks).then(function (ended) {
      if (ended.some(Boolean)) {
        window.location.reload();
      } else {
        window.setTimeout(poll, 2000);
      }
    });
  }
  window.setTimeout(poll, 2000);
})();
