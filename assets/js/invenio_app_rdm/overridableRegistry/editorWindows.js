// TinyMCE's floating toolbar (the default toolbar_mode of the rich editors on request
// pages and the deposit form) reads `editor.getWin().innerWidth` on every
// ResizeWindow, ResizeEditor and ResizeContent event. Between an editor's creation
// and its iframe, and after React removes an editor (a request's dialog closed), the
// editor has no window: "Cannot read properties of null (reading 'innerWidth')" at
// each resize of the window or the editor. Such events are stopped before TinyMCE's
// own handlers while the editor has no window. Loaded with the overridable registry
// on every page.
const EVENTS = "ResizeWindow ResizeEditor ResizeContent";

const guard = (editor) => {
  editor.on(
    EVENTS,
    (event) => {
      if (!editor.getWin()) {
        event.stopImmediatePropagation();
      }
    },
    true // before every other handler
  );
};

const guardEditors = () => {
  const tinymce = window.tinymce;
  if (!tinymce || tinymce.consortiumGuarded) {
    return;
  }
  tinymce.consortiumGuarded = true;
  tinymce.get().forEach(guard);
  tinymce.on("AddEditor", ({ editor }) => guard(editor));
};

if (typeof window !== "undefined") {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", guardEditors);
  } else {
    guardEditors();
  }
}
