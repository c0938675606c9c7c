// "Log a response": search cables as you type (reference ID or subject), then tick their paragraphs.
(function () {
  "use strict";
  const form = document.querySelector("form.response-form");
  if (!form) return;
  const cableInput = form.querySelector("input[name=cable]");
  const numbersInput = form.querySelector("input[name=paragraphs]");
  const choices = form.querySelector(".paragraph-choices");
  const datalist = document.getElementById("cable-choices");
  let timer = null;
  let loaded = "";

  function syncNumbers() {
    const ticked = Array.from(choices.querySelectorAll("input[type=checkbox]:checked")).map((box) => box.value);
    numbersInput.value = ticked.join(", ");
  }

  function bindBoxes() {
    const typed = numbersInput.value.split(",").map((n) => n.trim()).filter(Boolean);
    choices.querySelectorAll("input[type=checkbox]").forEach((box) => {
      box.checked = typed.includes(box.value);
      box.addEventListener("change", syncNumbers);
    });
  }

  function showParagraphs(reference) {
    if (!reference || reference === loaded) return;
    fetch(form.dataset.cableApi + encodeURIComponent(reference) + "/", { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((cable) => {
        if (!cable) return;
        loaded = reference;
        choices.textContent = "";
        cable.paragraphs.filter((p) => p.number).forEach((paragraph) => {
          const label = document.createElement("label");
          const box = document.createElement("input");
          box.type = "checkbox";
          box.value = paragraph.number;
          label.append(box, " ¶" + paragraph.number + " " + paragraph.text.split(/\s+/).slice(0, 12).join(" ") + "…");
          choices.append(label);
        });
        bindBoxes();
      });
  }

  function lookup() {
    const text = cableInput.value.trim();
    if (text.length < 2) return;
    fetch(form.dataset.lookup + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((data) => {
        datalist.textContent = "";
        data.results.forEach((cable) => {
          const option = document.createElement("option");
          option.value = cable.reference_id;
          option.label = (cable.created || "") + " " + (cable.subject || "");
          datalist.append(option);
        });
        const exact = data.results.find((cable) => cable.reference_id === text.toUpperCase());
        if (exact) showParagraphs(exact.reference_id);
      });
  }

  cableInput.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, 200);
  });
  cableInput.addEventListener("change", () => showParagraphs(cableInput.value.trim().toUpperCase()));
  bindBoxes();
  if (cableInput.value.trim()) loaded = cableInput.value.trim().toUpperCase();
})();
