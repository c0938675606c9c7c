// "Log a response": search cables as you type (reference ID or subject); choosing a cable reloads the form
// for it (its heading, paragraphs, the questions it may answer, any response it already made), keeping the
// chosen questions and the note; then tick its paragraphs.
(function () {
  "use strict";
  const form = document.querySelector("form.response-form");
  if (!form) return;
  const cableInput = form.querySelector("input[name=cable]");
  const numbersInput = form.querySelector("input[name=paragraphs]");
  const choices = form.querySelector(".paragraph-choices");
  const datalist = document.getElementById("cable-choices");
  const loaded = (form.dataset.loaded || "").toUpperCase();
  let timer = null;

  function syncNumbers() {
    const ticked = Array.from(choices.querySelectorAll("input[type=checkbox]:checked")).map((box) => box.value);
    numbersInput.value = ticked.join(", ");
  }

  function tickTyped() {
    const typed = numbersInput.value.split(",").map((n) => n.trim().replace(/\.$/, "")).filter(Boolean);
    choices.querySelectorAll("input[type=checkbox]").forEach((box) => {
      box.checked = typed.includes(box.value);
    });
  }

  // Another cable: the form is the new cable's, so ask the server for it (GET), with the questions chosen
  // and the note typed. Paragraphs belong to the old cable and are dropped.
  function reload() {
    const reference = cableInput.value.trim().toUpperCase();
    if (!reference || reference === loaded) return;
    const params = new URLSearchParams();
    params.set("cable", reference);
    form.querySelectorAll("select[name=questions] option:checked").forEach((option) => {
      params.append("question", option.value);
    });
    const note = form.querySelector("[name=note]");
    if (note && note.value.trim()) params.set("note", note.value);
    numbersInput.value = "";
    window.location.assign(form.dataset.reload + "?" + params.toString());
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
      });
  }

  cableInput.addEventListener("input", (event) => {
    clearTimeout(timer);
    // a choice from the list (not typing): load that cable at once
    const picked = !event.inputType || event.inputType === "insertReplacementText";
    if (picked && Array.from(datalist.options).some((option) => option.value === cableInput.value.trim())) {
      reload();
      return;
    }
    timer = setTimeout(lookup, 200);
  });
  cableInput.addEventListener("change", reload);
  cableInput.addEventListener("keydown", (event) => {
    // Enter on another cable loads it; it does not log yet
    if (event.key === "Enter" && cableInput.value.trim().toUpperCase() !== loaded) {
      event.preventDefault();
      reload();
    }
  });
  choices.querySelectorAll("input[type=checkbox]").forEach((box) => box.addEventListener("change", syncNumbers));
  numbersInput.addEventListener("change", tickTyped);
  tickTyped();
})();
