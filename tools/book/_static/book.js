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
  // The section the URL names: its id, else its position (?section=N).
  function target() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id && document.getElementById(id)) return document.getElementById(id);
    var index = parseInt(new URLSearchParams(window.location.search).get("section"), 10);
    var all = sections();
    return !isNaN(index) && index >= 0 && index < all.length ? all[index] : null;
  }
  // Go there at once, and again once MathJax has typeset the page (which moves everything).
  function arrive() {
    var el = target();
    if (el) el.scrollIntoView({ behavior: "instant" });
  }
  window.addEventListener("load", function () {
    arrive();
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(arrive);
    }
  });
})();
