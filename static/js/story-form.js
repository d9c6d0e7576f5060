// Progressive help for the story form; the form works without it.
(function () {
  "use strict";

  // Show which photos were picked: the native file button speaks the browser's language.
  var names = document.getElementById("photo-names");
  var inputs = document.querySelectorAll('input[type="file"][name="photos"]');
  function listFiles() {
    var picked = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { picked.push(file.name); });
    });
    if (names) { names.textContent = picked.join(", "); }
  }
  inputs.forEach(function (input) { input.addEventListener("change", listFiles); });

  // Tag suggestions: offer existing tags for the word being typed after the last comma.
  var tagInput = document.getElementById("id_tags");
  var list = document.getElementById("tag-suggestions");
  if (!tagInput || !list) { return; }
  var known = (list.dataset.tags || "").split("|").filter(Boolean);
  tagInput.addEventListener("input", function () {
    var value = tagInput.value;
    var cut = value.lastIndexOf(",");
    var done = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
    var typed = value.slice(cut + 1).trim().toLowerCase();
    list.replaceChildren();
    known.filter(function (tag) { return tag.indexOf(typed) === 0; }).slice(0, 10).forEach(function (tag) {
      var option = document.createElement("option");
      option.value = done + tag;
      list.appendChild(option);
    });
  });
})();
