// Mirador in a work's preview frame: the work's IIIF Presentation 3.0 manifest, opened at
// the page of the previewed file, in the page's language (consortium_tenants.iiif.previewer);
// or the manifest of a library's Kramerius IIIF gateway (no page chosen, any version).
(function () {
  var config = JSON.parse(document.getElementById("iiif-viewer-config").textContent);
  var pages = config.key
    ? fetch(config.manifest, { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.json() : null; })
        .catch(function () { return null; })
    : Promise.resolve(null);
  pages
    .then(function (manifest) {
      var canvasId;
      if (manifest && manifest.items) {
        manifest.items.forEach(function (canvas) {
          var label = canvas.label && canvas.label.none && canvas.label.none[0];
          // a PDF's pages are labelled "<file> — page N" in cs and en: its first page
          var page = canvas.label && canvas.label.en && canvas.label.en[0];
          if (label === config.key
              || (!canvasId && page && page.indexOf(config.key + " — ") === 0)) {
            canvasId = canvas.id;
          }
        });
      }
      var windowConfig = { manifestId: config.manifest, thumbnailNavigationPosition: "far-bottom" };
      if (canvasId) { windowConfig.canvasId = canvasId; }
      Mirador.viewer({
        id: "iiif-viewer",
        language: config.language,
        availableLanguages: config.languages,
        translations: config.translations,
        requests: { preprocessors: [function (url, options) { options.credentials = "same-origin"; return options; }] },
        window: { allowClose: false, allowMaximize: false, allowFullscreen: true,
                  defaultSideBarPanel: "info", sideBarOpenByDefault: false },
        workspace: { showZoomControls: true, type: "mosaic" },
        workspaceControlPanel: { enabled: false },
        windows: [windowConfig]
      });
    });
})();
