// sitegen citation tooltips (WCAG 1.4.13): a tip shows on hover and focus and stays while
// the pointer is over it; Escape dismisses it; a first tap on a touch screen opens it (a
// second follows the link); an open tip is placed inside the screen, above the figure
// when there is room, else below. Without this script tips still show on hover and focus.
(function () {
  "use strict";
  var lastPointer = "mouse";
  function tipOf(wrap) { return wrap.querySelector(".cite-tip"); }
  function place(wrap) {
    var tip = tipOf(wrap);
    if (!tip) return;
    var a = wrap.querySelector(".cite");
    var r = (a || wrap).getBoundingClientRect();
    tip.style.position = "fixed";
    tip.style.bottom = "auto";
    tip.style.left = "0px";
    tip.style.top = "0px";
    var w = tip.offsetWidth, h = tip.offsetHeight, margin = 8;
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    var left = Math.max(margin, Math.min(r.left, vw - w - margin));
    var top = r.top - h >= margin ? r.top - h : Math.min(r.bottom, vh - h - margin);
    tip.style.left = left + "px";
    tip.style.top = Math.max(margin, top) + "px";
  }
  function show(wrap) { wrap.classList.remove("tip-off"); place(wrap); }
  function closeAll(except) {
    var open = document.querySelectorAll(".cite-wrap.tip-open");
    for (var i = 0; i < open.length; i++) if (open[i] !== except) open[i].classList.remove("tip-open");
  }
  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    if (!e.target.closest || !e.target.closest(".cite-wrap")) closeAll(null);
  }, true);
  document.addEventListener("mouseover", function (e) {
    var wrap = e.target.closest && e.target.closest(".cite-wrap");
    if (wrap && !wrap.contains(e.relatedTarget)) show(wrap);
  });
  document.addEventListener("mouseout", function (e) {
    var wrap = e.target.closest && e.target.closest(".cite-wrap");
    if (wrap && !wrap.contains(e.relatedTarget)) wrap.classList.remove("tip-off");
  });
  document.addEventListener("focusin", function (e) {
    var wrap = e.target.closest && e.target.closest(".cite-wrap");
    if (wrap) show(wrap);
  });
  document.addEventListener("focusout", function (e) {
    var wrap = e.target.closest && e.target.closest(".cite-wrap");
    if (wrap && !wrap.contains(e.relatedTarget)) wrap.classList.remove("tip-off", "tip-open");
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.cite");
    if (!a || lastPointer !== "touch") return;
    var wrap = a.parentNode;
    if (!wrap.classList.contains("tip-open")) {
      e.preventDefault();
      closeAll(wrap);
      wrap.classList.add("tip-open");
      show(wrap);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelectorAll(".cite-wrap:hover, .cite-wrap:focus-within, .cite-wrap.tip-open");
    for (var i = 0; i < open.length; i++) {
      open[i].classList.add("tip-off");
      open[i].classList.remove("tip-open");
    }
  });
  function replaceOpen() {
    var open = document.querySelectorAll(".cite-wrap:hover, .cite-wrap:focus-within, .cite-wrap.tip-open");
    for (var i = 0; i < open.length; i++) place(open[i]);
  }
  window.addEventListener("scroll", replaceOpen, { passive: true, capture: true });
  window.addEventListener("resize", replaceOpen);
})();
