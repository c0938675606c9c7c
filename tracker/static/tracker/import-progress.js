// Follows an import job live: polls its status until it is done, then reloads for the full report.
(function () {
  const box = document.getElementById("import-job");
  if (!box) return;
  const url = box.dataset.statusUrl;
  const set = (id, value) => { document.getElementById(id).textContent = value; };
  async function poll() {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return setTimeout(poll, 2000);
    const job = await response.json();
    document.getElementById("import-progress").value = job.percent;
    set("import-status", job.status);
    set("import-percent", job.percent);
    set("count-new", job.new);
    set("count-updated", job.updated);
    set("count-unchanged", job.unchanged);
    set("count-rejected", job.rejected);
    if (job.status === "done" || job.status === "failed") {
      if (box.dataset.status !== job.status) window.location.reload();
      return;
    }
    setTimeout(poll, 1000);
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") poll();
})();
