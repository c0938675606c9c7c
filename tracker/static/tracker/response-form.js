// "Log a response": search cables as you type (reference ID or subject); choosing a cable reloads the form
// for it in place (its heading, paragraphs, the questions it may answer, any response it already made),
// keeping what was typed, also while it loads: the chosen questions, the note, an assessment or confidence
// chosen, paragraph numbers typed for the new cable. The old cable's paragraphs are cleared (their numbers
// mean other text in the new cable): the page says so and offers them back.
(function () {
  "use strict";
  let latest = 0;  // the latest reload: an older one answering late is ignored

  function numbersOf(text) {
    return text.split(/[,;]/).map((n) => n.trim().replace(/\.$/, "")).filter(Boolean);
  }

  // an assessment or confidence the analyst chose: one other than the form showed
  function chosen(form, field) {
    const select = form.querySelector(`select[name=${field}]`);
    const shown = form.querySelector(`input[name=shown_${field}]`);
    return select && shown && select.value !== shown.value ? select.value : "";
  }

  function selectedQuestions(form) {
    return Array.from(form.querySelectorAll("input[name=questions]:checked")).map((box) => box.value);
  }

  // what is typed on the old form goes to the new one: it was typed for the new cable, or is not the cable's
  function keepTyped(form, next, reference) {
    ["paragraphs", "note"].forEach((name) => {
      next.querySelector(`[name=${name}]`).value = form.querySelector(`[name=${name}]`).value;
    });
    ["assessment", "confidence"].forEach((field) => {
      const value = chosen(form, field);
      if (value) next.querySelector(`select[name=${field}]`).value = value;
    });
    const questions = selectedQuestions(form);
    next.querySelectorAll("input[name=questions]").forEach((box) => {
      box.checked = questions.includes(box.value);
    });
    const filter = form.querySelector(".question-filter input");
    const nextFilter = next.querySelector(".question-filter input");
    if (filter && nextFilter) nextFilter.value = filter.value;  // the questions stay filtered as they were
    const typing = form.querySelector("input[name=cable]").value;  // another cable typed while it loaded
    if (typing.trim().toUpperCase() !== reference) next.querySelector("input[name=cable]").value = typing;
  }

  function swap(form, html, url, address, reference) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const main = page.querySelector("main");
    const next = main && main.querySelector("form.response-form");
    if (!next) {
      window.location.assign(url);
      return;
    }
    // The classification banners, above and below <main>, name what the new page shows: swapped with it.
    const banners = document.querySelectorAll("body > .banner");
    const nextBanners = page.querySelectorAll("body > .banner");
    if (banners.length !== nextBanners.length) {
      window.location.assign(url);
      return;
    }
    keepTyped(form, next, reference);
    const focused = form.contains(document.activeElement) ? document.activeElement : null;
    banners.forEach((banner, i) => banner.replaceWith(document.adoptNode(nextBanners[i])));
    document.querySelector("main").replaceWith(main);
    document.title = page.title;
    history.replaceState(null, "", address);  // the address of what is shown (reloading the page shows it again)
    init(next);
    const again = focused && (focused.type === "checkbox"  // a question's box: that question's, not the first
      ? next.querySelector(`input[name=${focused.name}][value="${focused.value}"]`)
      : focused.name ? next.querySelector(`[name=${focused.name}]:not([type=hidden])`)
        : focused.closest(".question-filter") && next.querySelector(".question-filter input"));
    if (again) {
      again.focus();
      if ("selectionStart" in focused && focused.selectionStart !== null) {
        again.setSelectionRange(focused.selectionStart, focused.selectionEnd);
      }
    }
  }

  // The questions to tick, under a filter once there are more than a few: each word typed must be in the
  // question's line or its set's name; a ticked question always shows, and the count says how many are.
  function initQuestions(form) {
    const choices = form.querySelector(".question-choices");
    if (!choices) return;
    const filter = choices.querySelector(".question-filter");
    const input = filter.querySelector("input");
    const count = filter.querySelector(".chosen-count");
    const boxes = Array.from(choices.querySelectorAll("input[name=questions]"));
    filter.hidden = boxes.length <= 6;

    function show() {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let matched = 0;
      choices.querySelectorAll(".question-group").forEach((group) => {
        const legend = group.querySelector("legend");
        const name = legend ? legend.textContent.toLowerCase() : "";
        let any = false;
        group.querySelectorAll("label").forEach((label) => {
          const text = name + " " + label.textContent.toLowerCase();
          const matches = words.every((word) => text.includes(word));
          const visible = matches || label.querySelector("input").checked;
          label.hidden = !visible;
          any = any || visible;
          matched += matches ? 1 : 0;
        });
        group.hidden = !any;
      });
      choices.querySelector(".no-match").hidden = matched > 0;
      const ticked = boxes.filter((box) => box.checked).length;
      count.textContent = ticked ? `${ticked} chosen` : "";
    }

    input.addEventListener("input", show);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();  // Enter filters; it does not log the response
    });
    boxes.forEach((box) => box.addEventListener("change", show));
    show();
  }

  function init(form) {
    initQuestions(form);
    const cableInput = form.querySelector("input[name=cable]");
    const numbersInput = form.querySelector("input[name=paragraphs]");
    const choices = form.querySelector(".paragraph-choices");
    const datalist = form.querySelector("datalist");
    let loaded = (form.dataset.loaded || "").toUpperCase();
    let timer = null;

    // the ticked paragraphs, in the cable's order, then numbers typed that have no box here
    function syncNumbers() {
      const boxes = Array.from(choices.querySelectorAll("input[type=checkbox]"));
      const values = boxes.map((box) => box.value);
      const ticked = boxes.filter((box) => box.checked).map((box) => box.value);
      const other = numbersOf(numbersInput.value).filter((number) => !values.includes(number));
      numbersInput.value = ticked.concat(other).join(", ");
    }

    function tickTyped() {
      const typed = numbersOf(numbersInput.value);
      choices.querySelectorAll("input[type=checkbox]").forEach((box) => {
        box.checked = typed.includes(box.value);
      });
    }

    // Another cable: ask the server for its form (GET) with what was chosen, and put it in place of this
    // one. Paragraphs ticked or typed for the old cable are cleared now, so what is typed while it loads
    // is the new cable's; with no cable loaded yet, the paragraphs typed are the new cable's.
    function reload() {
      const reference = cableInput.value.trim().toUpperCase();
      if (!reference || reference === loaded) return;
      const params = new URLSearchParams();
      params.set("cable", reference);
      selectedQuestions(form).forEach((pk) => params.append("question", pk));
      // the note never goes in the address (server logs, history: it may be classified); the new form takes
      // it from this one (keepTyped)
      ["assessment", "confidence"].forEach((field) => {
        if (chosen(form, field)) params.set(field, chosen(form, field));
      });
      const numbers = numbersInput.value.trim();
      const address = form.dataset.reload + "?" + params.toString();
      if (numbers && loaded) {
        params.set("cleared", numbers);
        params.set("cleared_from", loaded);
      } else if (numbers) {
        params.set("paragraphs", numbers);
      }
      if (loaded) {
        numbersInput.value = "";
        choices.querySelectorAll("input[type=checkbox]").forEach((box) => {
          box.checked = false;
          box.disabled = true;
        });
      }
      loaded = reference;
      form.querySelector("button[type=submit]").disabled = true;  // it logs once the new cable's form is in
      const url = form.dataset.reload + "?" + params.toString();
      const ticket = ++latest;
      fetch(url, { headers: { Accept: "text/html" } })
        .then((response) => {
          if (!response.ok) throw new Error(response.statusText);
          return response.text();
        })
        .then((html) => {
          if (ticket === latest) swap(form, html, url, address, reference);
        })
        .catch(() => {
          if (ticket === latest) window.location.assign(url);
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
    // the cleared paragraphs, back for this cable if the analyst meant them for it
    form.querySelectorAll("button[data-paragraphs]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => {
        const typed = numbersOf(numbersInput.value);
        numbersInput.value = typed.concat(numbersOf(button.dataset.paragraphs).filter((n) => !typed.includes(n)))
          .join(", ");
        tickTyped();
        button.closest("ul").remove();
        numbersInput.focus();
      });
    });
    tickTyped();
  }

  document.querySelectorAll("form.response-form").forEach(init);
})();
