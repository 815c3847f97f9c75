// Downloads under every chart: its picture as SVG or PNG, its data as CSV (from the chart
// box's data-csv, written by the server). External file: the pages run under a strict CSP
// (the PNG is drawn from a blob: image, so img-src must allow blob:).
(function () {
  "use strict";
  var STYLES = ["fill", "stroke", "stroke-width", "stroke-dasharray", "font-size",
    "font-family", "font-weight", "opacity"];

  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // the SVG with the page's CSS written into each element, so that it stands alone
  function standalone(svg) {
    var copy = svg.cloneNode(true);
    var from = svg.querySelectorAll("*"), to = copy.querySelectorAll("*");
    for (var i = 0; i < from.length; i++) {
      var style = getComputedStyle(from[i]);
      // presentation attributes, not style attributes: the strict CSP forbids inline styles
      STYLES.forEach(function (p) {
        var value = style.getPropertyValue(p);
        if (value) { to[i].setAttribute(p, value); }
      });
      to[i].removeAttribute("tabindex");
    }
    var box = svg.viewBox.baseVal;
    copy.setAttribute("width", String(box.width));
    copy.setAttribute("height", String(box.height));
    var paper = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    paper.setAttribute("width", "100%");
    paper.setAttribute("height", "100%");
    paper.setAttribute("fill", "#fff");
    copy.insertBefore(paper, copy.firstChild);
    return new XMLSerializer().serializeToString(copy);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".chart-box"), function (box) {
    var svg = box.querySelector("svg");
    var name = "fiw-" + box.getAttribute("data-name");
    var tools = document.createElement("p");
    tools.className = "chart-tools";
    tools.appendChild(document.createTextNode("Download: "));
    [["PNG", "png"], ["SVG", "svg"], ["Data (CSV)", "csv"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = pair[0];
      button.setAttribute("data-format", pair[1]);
      button.setAttribute("aria-label", "Download this chart as " + pair[0]);
      tools.appendChild(button);
    });
    box.appendChild(tools);
    tools.addEventListener("click", function (event) {
      var format = event.target.getAttribute && event.target.getAttribute("data-format");
      if (format === "csv") {
        save(new Blob([box.getAttribute("data-csv")], { type: "text/csv" }), name + ".csv");
      } else if (format === "svg") {
        save(new Blob([standalone(svg)], { type: "image/svg+xml" }), name + ".svg");
      } else if (format === "png") {
        var box2 = svg.viewBox.baseVal, scale = 2;
        var img = new Image();
        var url = URL.createObjectURL(new Blob([standalone(svg)], { type: "image/svg+xml" }));
        img.onload = function () {
          var canvas = document.createElement("canvas");
          canvas.width = box2.width * scale;
          canvas.height = box2.height * scale;
          var ctx = canvas.getContext("2d");
          ctx.fillStyle = "#fff";
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
          URL.revokeObjectURL(url);
          canvas.toBlob(function (blob) { save(blob, name + ".png"); }, "image/png");
        };
        img.src = url;
      }
    });
  });
})();
