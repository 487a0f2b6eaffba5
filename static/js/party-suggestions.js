// The claim list's party field: as the reader types, the parties whose name or alias holds the
// words are offered in the field's list of suggestions (a <datalist>, which the browser shows
// and reads out). Each suggestion's value is the party's address, which the filter reads; its
// label is the party's name. Without this script the field takes the words typed.
(function () {
  "use strict";
  var field = document.querySelector("input[data-suggest]");
  if (!field || !window.fetch) return;
  var list = document.getElementById(field.getAttribute("list"));
  var timer = null;
  var asked = "";

  function show(parties) {
    list.textContent = "";
    parties.forEach(function (party) {
      var option = document.createElement("option");
      option.value = party.slug;
      option.label = party.name + (party.side ? " (" + party.side + ")" : "");
      list.appendChild(option);
    });
  }

  function suggest() {
    var words = field.value.trim();
    if (words.length < 2 || words === asked) return;
    asked = words;
    var url = field.dataset.suggest + "?page_size=8&q=" + encodeURIComponent(words);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : { results: [] }; })
      .then(function (page) { if (words === asked) show(page.results || []); })
      .catch(function () { /* No suggestions: the field still takes the words typed. */ });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
})();
