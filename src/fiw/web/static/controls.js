// Controls that apply at once: a select marked `apply` submits its form on change (the form's
// submit button, class `nojs`, stays for browsers without JavaScript), and an edition select
// (`data-slider`) gains a slider over the editions, keyboard-operable, with a play button.
// External file, no inline handlers: the pages run under a strict Content-Security-Policy.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // the navigation folds behind a menu button on narrow screens (CSS decides when)
  var nav = document.getElementById("main-nav");
  var menu = nav && nav.querySelector("button.menu");
  if (menu) {
    menu.hidden = false;
    nav.classList.add("closed");
    menu.addEventListener("click", function () {
      var open = nav.classList.toggle("closed") === false;
      menu.setAttribute("aria-expanded", String(open));
    });
  }

  function submit(form) {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  Array.prototype.forEach.call(document.querySelectorAll("select.apply"), function (select) {
    select.addEventListener("change", function () { if (select.form) submit(select.form); });
  });

  Array.prototype.forEach.call(document.querySelectorAll("select[data-slider]"), function (select) {
    var form = select.form;
    if (!form) return;
    // options are newest first: the slider runs oldest (left) to newest (right)
    var years = Array.prototype.map.call(select.options, function (o) { return o.value; }).reverse();
    var wrap = document.createElement("span");
    wrap.className = "slider";
    var range = document.createElement("input");
    range.type = "range";
    range.min = "0";
    range.max = String(years.length - 1);
    range.step = "1";
    range.value = String(years.indexOf(select.value));
    range.setAttribute("aria-label", "Edition (slider)");
    range.setAttribute("aria-valuetext", select.value);
    var out = document.createElement("output");
    out.textContent = select.value;
    var play = document.createElement("button");
    play.type = "button";
    play.className = "play";
    var playing = new URLSearchParams(location.search).get("play") === "1";
    play.textContent = playing ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(playing));
    wrap.appendChild(range);
    wrap.appendChild(out);
    wrap.appendChild(play);
    select.parentNode.parentNode.insertBefore(wrap, select.parentNode.nextSibling);

    var hidden = null;
    function go(index, keepPlaying) {
      select.value = years[index];
      if (keepPlaying) {
        hidden = hidden || document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "play";
        hidden.value = "1";
        form.appendChild(hidden);
      }
      submit(form);
    }
    range.addEventListener("input", function () {
      out.textContent = years[Number(range.value)];
      range.setAttribute("aria-valuetext", out.textContent);
    });
    range.addEventListener("change", function () { go(Number(range.value), false); });
    play.addEventListener("click", function () {
      if (playing) { // stop: drop play=1 from the address
        var url = new URL(location.href);
        url.searchParams.delete("play");
        location.assign(url.toString());
        return;
      }
      var next = Number(range.value) + 1;
      go(next < years.length ? next : 0, true);
    });
    if (playing) {
      var next = Number(range.value) + 1;
      if (next < years.length) window.setTimeout(function () { go(next, true); }, 1200);
    }
  });
})();

// Folded sections (<details>) open when the address points inside them or they hold a
// searched word (<mark>), so that a search hit's link lands on visible text.
(function () {
  "use strict";
  function openAround(node) {
    for (var n = node; n; n = n.parentElement) if (n.tagName === "DETAILS") n.open = true;
  }
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target) { openAround(target); target.scrollIntoView(); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("details mark"), openAround);
  window.addEventListener("hashchange", fromHash);
  if (location.hash) fromHash();
})();
