// On a phone the dashboard's filters fold under their "Filters" heading, so that the results are what the page
// opens on; the chips above the results say which are in force. A filter in error stays open, and a screen
// that turns wide (a phone turned sideways), where the heading is not shown, opens them again. Without
// JavaScript they show as they are.
(function () {
  "use strict";
  const narrow = window.matchMedia("(max-width: 800px)");
  const boxes = document.querySelectorAll("details.filter-box");
  if (narrow.matches) {
    boxes.forEach((box) => {
      if (!box.querySelector(".errorlist")) box.open = false;
    });
  }
  narrow.addEventListener("change", (event) => {
    if (!event.matches) boxes.forEach((box) => { box.open = true; });
  });
})();
