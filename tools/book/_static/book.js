// Keep the reader's place when switching language or framework: the switch links carry the
// section being read (its id, and its position among the page's sections for a page whose ids
// differ, e.g. the other language). On arrival, a missing id falls back to that position.
(function () {
  "use strict";
  function sections() {
    return Array.prototype.slice.call(
      document.querySelectorAll("article[role=main] section[id]"));
  }
  function currentSection() {
    var all = sections(), found = null, index = -1;
    for (var i = 0; i < all.length; i++) {
      var heading = all[i].querySelector("h1, h2, h3, h4, h5, h6");
      var top = (heading || all[i]).getBoundingClientRect().top;
      if (top <= 120) { found = all[i]; index = i; }
    }
    return { el: found, index: index };
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-keep]");
    if (!link) return;
    var base = link.getAttribute("href").split("#")[0].split("?")[0];
    var here = currentSection();
    if (base.indexOf("/search.html") >= 0 || base === "search.html") {
      link.setAttribute("href", base + window.location.search);
    } else if (here.el && here.index > 0) {
      link.setAttribute("href", base + "?section=" + here.index + "#" + here.el.id);
    } else {
      link.setAttribute("href", base);
    }
  }, true);
  function arrive() {
    var params = new URLSearchParams(window.location.search);
    var index = parseInt(params.get("section"), 10);
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id && document.getElementById(id)) return;
    var all = sections();
    if (!isNaN(index) && index >= 0 && index < all.length) all[index].scrollIntoView();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", arrive);
  } else {
    arrive();
  }
})();
