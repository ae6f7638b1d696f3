// The roll call's search box filters the list as you type, on the phone, without asking the
// server. Names are folded the way kaynak.core.text.search_key folds them (Turkish casing,
// ç/ğ/ı/ö/ş/ü and other marks dropped), so "ayse yil", "AYŞE" and "Yılmaz" all find
// "Ayşe Yılmaz". Without JavaScript the same form searches on the server.
(function () {
  "use strict";
  var LETTERS = { "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u" };

  function fold(text) {
    var lower = text.normalize("NFC").replace(/I/g, "ı").replace(/İ/g, "i").toLowerCase();
    var plain = lower.replace(/[çğıöşü]/g, function (letter) { return LETTERS[letter]; });
    plain = plain.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return plain.replace(/[^0-9a-z]+/g, " ").trim();
  }

  function setup() {
    var form = document.querySelector("form[data-roll-search]");
    var list = document.getElementById("roll");
    if (!form || !list) { return; }
    var input = form.querySelector("input[type=search]");
    var none = document.querySelector("[data-roll-none]");

    function filter() {
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = 0;
      list.querySelectorAll("li[data-search]").forEach(function (row) {
        var key = row.getAttribute("data-search");
        var match = words.every(function (word) { return key.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (none) { none.hidden = shown > 0; }
    }

    input.addEventListener("input", filter);
    form.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
    filter();
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
