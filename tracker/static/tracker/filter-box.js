// On a phone the dashboard's filters fold under their "Filters" heading, so that the results are what the page
// opens on; the chips above the results say which are in force. A filter in error stays open. Without
// JavaScript, or on a wider screen, they show as they are.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 800px)").matches) return;
  document.querySelectorAll("details.filter-box").forEach((box) => {
    if (!box.querySelector(".errorlist")) box.open = false;
  });
})();
