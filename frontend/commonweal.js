// Commonweal's progressive enhancements. Every page works without this file.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// IMD decile colours, matching .cw-decile-N in main.scss (1 = most deprived).
const DECILE_COLOURS = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7", "#eff3ff", "#f7fbff"];

function drawNeighbourhoodMap(element) {
  if (!window.L) return;
  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((geojson) => {
      // Shown before Leaflet measures it: a hidden element has no size to fit the bounds to.
      element.classList.remove("cw-map--hidden");
      // No tile server: the boundaries themselves are the map.
      const map = window.L.map(element, { attributionControl: true, zoomSnap: 0.25 });
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(element.dataset.attribution || "");
      const layer = window.L.geoJSON(geojson, {
        style: (feature) => ({
          color: "#0b0c0c",
          weight: 0.6,
          fillOpacity: 0.85,
          // `band` (1 = darkest) when the layer shades some other figure; IMD decile otherwise.
          fillColor: DECILE_COLOURS[(feature.properties.band || feature.properties.imd_decile || 10) - 1],
        }),
        onEachFeature: (feature, shape) => {
          const p = feature.properties;
          // Leaflet puts a string tooltip in as HTML: hand it a text node so names are never markup.
          const label = document.createElement("span");
          label.textContent = p.tooltip || `${p.name} (${p.code}): IMD decile ${p.imd_decile ?? "unknown"}`;
          shape.bindTooltip(label);
          shape.on("click", () => { window.location.href = p.url; });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    })
    .catch(() => { element.remove(); });
}

document.querySelectorAll("[data-cw-map]").forEach(drawNeighbourhoodMap);
