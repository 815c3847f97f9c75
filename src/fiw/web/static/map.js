// Draw the world map coloured by status (d3-geo + topojson-client, vendored from npm).
// The shapes come from world-atlas (Natural Earth 1:110m); fiw's data is inlined in the page.
(function () {
  "use strict";
  var figure = document.getElementById("map");
  var source = document.getElementById("map-data");
  if (!figure || !source || !window.d3 || !window.topojson) return;
  var entries = JSON.parse(source.textContent);
  var edition = figure.getAttribute("data-edition");
  var byShape = {};
  entries.forEach(function (e) { byShape[e.shape] = e; });
  var SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  fetch(figure.getAttribute("data-atlas"))
    .then(function (r) {
      if (!r.ok) throw new Error("map geometry: HTTP " + r.status);
      return r.json();
    })
    .then(function (world) {
      var width = 960, height = 470;
      var countries = topojson.feature(world, world.objects.countries).features
        .filter(function (f) { return f.properties.name !== "Antarctica"; });
      var projection = d3.geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]],
        { type: "FeatureCollection", features: countries });
      var path = d3.geoPath(projection);
      var svg = el("svg", { viewBox: "0 0 " + width + " " + height, role: "group",
        "aria-label": "World map of Freedom in the World " + edition + " statuses; the same data is in the table of countries" });
      var drawn = 0;
      countries.forEach(function (f) {
        var key = f.id || f.properties.name;
        var e = byShape[key];
        var status = e && e.status ? e.status.toLowerCase().replace(/ /g, "-") : "none";
        var shape = el("path", { d: path(f), "class": "shape " + status, "data-shape": key });
        var title = el("title", {});
        title.textContent = e ? e.name + ": " + (e.status || "no status") + ", " +
          (e.total !== null ? e.total + "/100" : "PR rating " + e.pr_rating + ", CL rating " + e.cl_rating)
          : f.properties.name + ": not rated as a unit";
        shape.appendChild(title);
        if (e) {
          drawn += 1;
          var link = el("a", { href: "/country/" + e.country_id + "/" + edition, tabindex: "-1" });
          link.appendChild(shape);
          svg.appendChild(link);
        } else {
          svg.appendChild(shape);
        }
      });
      svg.setAttribute("data-coloured", String(drawn));
      figure.insertBefore(svg, figure.firstChild);
    })
    .catch(function (err) {
      var p = document.createElement("p");
      p.className = "notice";
      p.textContent = "The map could not be drawn (" + err.message + "); the table lists every status.";
      figure.insertBefore(p, figure.firstChild);
    });
})();
