// TinyMCE editors of upstream forms are given their value as a function
// (react-invenio-forms' RichInputField, invenio-requests' comment of an
// action: `inputValue={() => value}`, "to avoid re-rendering").
// @tinymce/tinymce-react rolls an editor back to that value 200 ms after each
// change, and TinyMCE cannot set a function as content: "e.replace is not a
// function" at every keystroke. Such a roll-back keeps the content instead.
const keepContentOnFunctionValue = (editor) => {
  const setContent = editor.setContent.bind(editor);
  editor.setContent = (content, args) =>
    typeof content === "function" ? editor.getContent() : setContent(content, args);
};

/** TinyMCE settings CONFIG with that guard installed on the editor. */
export const guardedEditorConfig = (config = {}) => ({
  ...config,
  init_instance_callback: (editor) => {
    keepContentOnFunctionValue(editor);
    config.init_instance_callback?.(editor);
  },
});
